# The guard: off by default; on, the live alarms invoke it and its role moves live and nothing else.

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

run "the_guard_is_off_by_default" {
  assert {
    condition     = length(aws_lambda_function.guard) == 0 && length(aws_lambda_permission.guard) == 0 && length(aws_iam_role.guard) == 0
    error_message = "enable_guard defaults to false: no guard function, role or permission"
  }
  assert {
    condition     = !contains(keys(aws_lambda_function.this.tags), "bluegreen:guard")
    error_message = "an unguarded service carries no bluegreen:guard tag"
  }
  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.this : length(alarm.alarm_actions) == 0])
    error_message = "without the guard and alarm_actions, no alarm has an action"
  }
}

run "the_guard_is_wired_to_the_live_alarms_only" {
  variables {
    enable_guard  = true
    alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:on-call"]
  }

  override_resource {
    target = aws_lambda_function.guard
    values = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders-api-guard" }
  }

  assert {
    condition     = aws_lambda_function.this.tags["bluegreen:guard"] == "on"
    error_message = "a guarded service is tagged bluegreen:guard = on, so bgtui can say so"
  }
  assert {
    condition = alltrue([for key, alarm in aws_cloudwatch_metric_alarm.this :
      contains(alarm.alarm_actions, "arn:aws:lambda:eu-west-1:123456789012:function:orders-api-guard") == startswith(key, "live-")
    ])
    error_message = "the live alarms, and only they, invoke the guard"
  }
  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.this : contains(alarm.alarm_actions, "arn:aws:sns:eu-west-1:123456789012:on-call")])
    error_message = "alarm_actions stay on every alarm"
  }
  assert {
    condition     = toset(keys(aws_lambda_permission.guard)) == toset(["live-errors", "live-p99"])
    error_message = "one invoke permission per live alarm"
  }
  assert {
    condition = alltrue([for p in aws_lambda_permission.guard :
      p.principal == "lambda.alarms.cloudwatch.amazonaws.com" && p.source_account == "123456789012" &&
      startswith(p.source_arn, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-api-live-")
    ])
    error_message = "only this account's live alarms may invoke the guard (principal lambda.alarms.cloudwatch.amazonaws.com)"
  }
  assert {
    condition = toset(flatten([for s in jsondecode(output.guard_policy_json).Statement : s.Action])) == toset([
      "lambda:GetAlias", "lambda:UpdateAlias", "apigateway:PATCH", "logs:CreateLogStream", "logs:PutLogEvents",
      "xray:PutTraceSegments", "xray:PutTelemetryRecords",
    ])
    error_message = "the guard's policy lists exactly what a rollback does"
  }
  assert {
    condition = alltrue([for s in jsondecode(output.guard_policy_json).Statement :
      s.Resource == ["arn:aws:lambda:eu-west-1:123456789012:function:orders-api"] if contains(s.Action, "lambda:UpdateAlias")
    ])
    error_message = "the guard may move aliases of this function only"
  }
  assert {
    condition = alltrue([for s in jsondecode(output.guard_policy_json).Statement :
      s.Resource == ["arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/test"] if contains(s.Action, "apigateway:PATCH")
    ])
    error_message = "the guard may patch the test stage only"
  }
  assert {
    condition     = aws_lambda_function.guard[0].environment[0].variables.GUARD_FUNCTION_NAME == "orders-api" && aws_lambda_function.guard[0].handler == "guard.handler"
    error_message = "the guard is told which function it guards"
  }
  assert {
    condition     = aws_lambda_function.guard[0].environment[0].variables.GUARD_ENVIRONMENT == "staging" && aws_lambda_function.guard[0].environment[0].variables.GUARD_NOTIFY_TOPIC_ARN == ""
    error_message = "the guard is told its environment, and announces nowhere without notify_sns_topic_arn"
  }
}

run "the_guard_announces_on_the_release_topic_alone" {
  variables {
    enable_guard         = true
    notify_sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:releases"
  }
  assert {
    condition     = aws_lambda_function.guard[0].environment[0].variables.GUARD_NOTIFY_TOPIC_ARN == "arn:aws:sns:eu-west-1:123456789012:releases"
    error_message = "the guard publishes its rollbacks to the topic bgtui announces on"
  }
  assert {
    condition     = [for s in jsondecode(output.guard_policy_json).Statement : s.Resource if contains(s.Action, "sns:Publish")] == [["arn:aws:sns:eu-west-1:123456789012:releases"]]
    error_message = "the guard may publish once, on the configured topic only"
  }
  assert {
    condition = toset(flatten([for s in jsondecode(output.guard_policy_json).Statement : s.Action])) == toset([
      "lambda:GetAlias", "lambda:UpdateAlias", "apigateway:PATCH", "logs:CreateLogStream", "logs:PutLogEvents",
      "sns:Publish", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
    ])
    error_message = "announcing adds sns:Publish and nothing else"
  }
}
