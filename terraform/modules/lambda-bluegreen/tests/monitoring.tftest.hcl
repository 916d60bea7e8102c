# Alarm names and dimensions, the dashboard and the audit log group.

mock_provider "aws" {
  # The mocked values every test file shares.
  source = "./tests/mocks"
}

variables {
  function_name = "orders-api"
  service_name  = "Orders API"
  environment   = "staging"
  zip_path      = "tests/fixtures/handler.zip"
  tags          = { team = "payments" }
}

run "alarms_dashboard_and_audit_log_by_default" {
  assert {
    condition = toset([for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]) == toset([
      "orders-api-blue-errors", "orders-api-blue-p99",
      "orders-api-green-errors", "orders-api-green-p99",
      "orders-api-live-errors", "orders-api-live-p99",
    ])
    error_message = "alarms must be <function>-<scope>-errors and <function>-<scope>-p99 for blue, green and live"
  }
  assert {
    condition = alltrue([for scope in ["blue", "green", "live"] :
      aws_cloudwatch_metric_alarm.this["${scope}-errors"].dimensions == tomap({ FunctionName = "orders-api", Resource = "orders-api:${scope}" }) &&
      aws_cloudwatch_metric_alarm.this["${scope}-p99"].dimensions == tomap({ FunctionName = "orders-api", Resource = "orders-api:${scope}" })
    ])
    error_message = "each alarm must watch FunctionName=<function>, Resource=<function>:<scope>"
  }
  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "bluegreen-orders-api"
    error_message = "the dashboard must be named bluegreen-<function>"
  }
  assert {
    condition = toset([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.title]) == toset([
      "orders-api:blue", "orders-api:green", "orders-api:live",
      "API orders-api stage prod", "API orders-api stage test",
    ])
    error_message = "the dashboard must chart blue, green, live and both stages"
  }
  assert {
    condition     = aws_cloudwatch_log_group.audit.name == "/bgtui/audit/orders-api" && aws_cloudwatch_log_group.audit.retention_in_days == 400
    error_message = "the audit log group must be /bgtui/audit/<function> with the default retention"
  }
  assert {
    condition     = aws_cloudwatch_log_group.audit.kms_key_id == null && aws_lambda_function.this.kms_key_arn == null
    error_message = "no KMS key must be set when none is given"
  }
}

run "tuned_alarms_and_a_kms_key" {
  variables {
    error_threshold          = 7
    error_evaluation_periods = 3
    p99_threshold_ms         = 750
    alarm_actions            = ["arn:aws:sns:eu-west-1:123456789012:on-call"]
    kms_key_arn              = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-aaaa-bbbb-cccc-000000000000"
    audit_log_retention_days = 731
  }
  assert {
    condition = alltrue([for scope in ["blue", "green", "live"] :
      aws_cloudwatch_metric_alarm.this["${scope}-errors"].metric_name == "Errors" &&
      aws_cloudwatch_metric_alarm.this["${scope}-errors"].namespace == "AWS/Lambda" &&
      aws_cloudwatch_metric_alarm.this["${scope}-errors"].statistic == "Sum" &&
      aws_cloudwatch_metric_alarm.this["${scope}-errors"].period == 60 &&
      aws_cloudwatch_metric_alarm.this["${scope}-errors"].threshold == 7 &&
      aws_cloudwatch_metric_alarm.this["${scope}-errors"].evaluation_periods == 3
    ])
    error_message = "error alarms must be Sum of Errors over 60 s periods with the configured threshold"
  }
  assert {
    condition = alltrue([for scope in ["blue", "green", "live"] :
      aws_cloudwatch_metric_alarm.this["${scope}-p99"].metric_name == "Duration" &&
      aws_cloudwatch_metric_alarm.this["${scope}-p99"].extended_statistic == "p99" &&
      aws_cloudwatch_metric_alarm.this["${scope}-p99"].statistic == null &&
      aws_cloudwatch_metric_alarm.this["${scope}-p99"].threshold == 750
    ])
    error_message = "latency alarms must watch p99 Duration against the configured threshold"
  }
  assert {
    condition = alltrue([for a in aws_cloudwatch_metric_alarm.this :
      a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:on-call"]) &&
      a.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:on-call"])
    ])
    error_message = "alarm actions must be used for ALARM and OK"
  }
  assert {
    condition = (
      aws_cloudwatch_log_group.audit.kms_key_id == var.kms_key_arn &&
      aws_cloudwatch_log_group.function.kms_key_id == var.kms_key_arn &&
      aws_lambda_function.this.kms_key_arn == var.kms_key_arn
    )
    error_message = "the given KMS key must encrypt both log groups and the environment variables"
  }
  assert {
    condition     = aws_cloudwatch_log_group.audit.retention_in_days == 731
    error_message = "the audit retention must be configurable"
  }
}

run "bad_monitoring_inputs_are_refused" {
  command = plan
  variables {
    error_evaluation_periods = 5
    audit_log_retention_days = 30
  }
  expect_failures = [var.error_evaluation_periods, aws_cloudwatch_log_group.audit]
}
