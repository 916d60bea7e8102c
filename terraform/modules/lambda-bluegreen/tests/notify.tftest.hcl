# Release notifications: the operator may publish to the configured topic, only when one is given.
# SNS authorises Publish on the topic ARN (Service Authorization Reference, resource type topic).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_name = "orders-api"
  environment   = "staging"
  zip_path      = "tests/fixtures/handler.zip"
}

override_resource {
  target = aws_cloudwatch_log_group.audit
  values = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/bgtui/audit/orders-api" }
}

run "no_topic_no_publish" {
  assert {
    condition     = !contains(flatten([for s in jsondecode(output.operator_policy_json).Statement : s.Action]), "sns:Publish")
    error_message = "without notify_sns_topic_arn the operator policy publishes nowhere"
  }
}

run "a_topic_is_the_one_place_the_operator_may_publish" {
  variables {
    notify_sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:releases"
  }
  assert {
    condition     = [for s in jsondecode(output.operator_policy_json).Statement : s.Resource if contains(s.Action, "sns:Publish")] == [["arn:aws:sns:eu-west-1:123456789012:releases"]]
    error_message = "sns:Publish is granted once, on the configured topic only"
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(output.read_only_policy_json).Statement : s.Action]), "sns:Publish")
    error_message = "the read-only policy never publishes"
  }
}

run "a_topic_that_is_not_an_arn_is_refused" {
  command = plan
  variables {
    notify_sns_topic_arn = "releases"
  }
  expect_failures = [var.notify_sns_topic_arn]
}

# An encrypted topic: publishing needs its key (SNS Developer Guide, "Key management").
run "an_encrypted_topic_grants_its_key_for_that_topic_alone" {
  variables {
    notify_sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:releases"
    notify_kms_key_arn   = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  assert {
    condition = [for s in jsondecode(output.operator_policy_json).Statement : s.Condition if contains(s.Action, "kms:GenerateDataKey")] == [
      { StringEquals = { "kms:EncryptionContext:aws:sns:topicArn" = "arn:aws:sns:eu-west-1:123456789012:releases" } }
    ]
    error_message = "the key is granted once, for the topic's messages only"
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(output.read_only_policy_json).Statement : s.Action]), "kms:Decrypt")
    error_message = "the read-only policy never uses the key"
  }
}

run "a_key_alias_is_refused" {
  command = plan
  variables {
    notify_sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:releases"
    notify_kms_key_arn   = "alias/releases"
  }
  expect_failures = [var.notify_kms_key_arn]
}

run "a_key_without_its_topic_is_refused" {
  command = plan
  variables {
    notify_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [output.operator_policy_json]
}
