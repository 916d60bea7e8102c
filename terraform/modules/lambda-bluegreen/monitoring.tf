# CloudWatch alarms per colour and for live, and a dashboard of both colours side by side.

locals {
  dashboard_name = "bluegreen-${var.function_name}"
  alarm_scopes   = ["blue", "green", "live"]
  alarm_kinds = {
    errors = {
      metric             = "Errors"
      statistic          = "Sum"
      extended_statistic = null
      threshold          = var.error_threshold
      evaluation_periods = var.error_evaluation_periods
      comparison         = "GreaterThanOrEqualToThreshold"
      what               = "errors per minute reached ${var.error_threshold}"
    }
    p99 = {
      metric             = "Duration"
      statistic          = null
      extended_statistic = "p99"
      threshold          = var.p99_threshold_ms
      evaluation_periods = var.p99_evaluation_periods
      comparison         = "GreaterThanThreshold"
      what               = "p99 duration above ${var.p99_threshold_ms} ms"
    }
  }
  alarms = merge([
    for scope in local.alarm_scopes : {
      for kind, spec in local.alarm_kinds : "${scope}-${kind}" => merge(spec, { scope = scope })
    }
  ]...)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${local.alarm_prefix}${each.key}"
  alarm_description   = "${var.function_name} ${each.value.scope}: ${each.value.what}"
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  period              = 60
  evaluation_periods  = each.value.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = "notBreaching"
  alarm_actions       = each.value.scope == "live" ? concat(var.alarm_actions, local.guard_actions) : var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags

  dimensions = {
    FunctionName = var.function_name
    Resource     = "${var.function_name}:${each.value.scope}"
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({
    widgets = concat(
      [for i, scope in local.alarm_scopes : {
        type   = "metric"
        x      = 8 * i
        y      = 0
        width  = 8
        height = 6
        properties = {
          title  = "${var.function_name}:${scope}"
          region = local.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/Lambda", "Invocations", "FunctionName", var.function_name, "Resource", "${var.function_name}:${scope}", { stat = "Sum" }],
            [".", "Errors", ".", ".", ".", ".", { stat = "Sum" }],
            [".", "Duration", ".", ".", ".", ".", { stat = "p99", yAxis = "right" }],
          ]
        }
      }],
      [for i, stage in [var.prod_stage_name, var.test_stage_name] : {
        type   = "metric"
        x      = 12 * i
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "API ${local.api_name} stage ${stage}"
          region = local.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/ApiGateway", "Count", "ApiName", local.api_name, "Stage", stage, { stat = "Sum" }],
            [".", "5XXError", ".", ".", ".", ".", { stat = "Sum" }],
            [".", "4XXError", ".", ".", ".", ".", { stat = "Sum" }],
            [".", "Latency", ".", ".", ".", ".", { stat = "p99", yAxis = "right" }],
          ]
        }
      }],
    )
  })
}
