# The guard (enable_guard): the live alarms invoke it; inside the watch window it rolls live back.

locals {
  guard_count     = var.enable_guard ? 1 : 0
  guard_name      = "${var.function_name}-guard"
  guard_zip       = "${path.module}/guard.zip"
  guard_log_group = "/aws/lambda/${local.guard_name}"
  # Built rather than read from the resource, so the policy renders with the guard off too.
  guard_log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.guard_log_group}"
  live_alarms         = { for key, spec in local.alarms : key => spec if spec.scope == "live" }
  guard_actions       = var.enable_guard ? [aws_lambda_function.guard[0].arn] : []

  # UpdateAlias and GetAlias are authorised on the unqualified function ARN (Service
  # Authorization Reference), so the guard's grant cannot be narrower than the function.
  guard_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        { Sid = "ReadAndMoveLive", Effect = "Allow", Action = ["lambda:GetAlias", "lambda:UpdateAlias"], Resource = [local.function_arn] },
        {
          Sid      = "PointTestStage", Effect = "Allow", Action = ["apigateway:PATCH"],
          Resource = ["${local.stages_arn}/${var.test_stage_name}"]
        },
        {
          Sid      = "WriteAuditAndOwnLogs", Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource = [local.audit_log_stream_arn, "${local.guard_log_group_arn}:log-stream:*"]
        },
      ],
      # The guard announces its rollbacks on the release topic, when one is given: SNS authorises
      # Publish on the topic's ARN (Service Authorization Reference, resource type `topic`).
      var.notify_sns_topic_arn == null ? [] : [
        { Sid = "AnnounceRollbacks", Effect = "Allow", Action = ["sns:Publish"], Resource = [var.notify_sns_topic_arn] },
      ],
      # The same key grant as the operator's when the topic is encrypted (iam.tf).
      local.encrypt_events,
      # X-Ray accepts trace segments only on "*".
      var.tracing_mode == "Active" ? [
        { Sid = "Trace", Effect = "Allow", Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource = "*" },
      ] : [],
    )
  }
}

resource "aws_cloudwatch_log_group" "guard" {
  #checkov:skip=CKV_AWS_338:The guard's own logs are operational; every rollback it makes is in the audit log group, kept a year or more.
  #checkov:skip=CKV_AWS_158:Encrypted with AWS owned keys unless kms_key_arn names a customer managed key.
  count = local.guard_count

  name              = local.guard_log_group
  retention_in_days = var.function_log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "guard" {
  count = local.guard_count

  name = local.guard_name
  tags = var.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "guard" {
  count = local.guard_count

  name   = "roll-back-live"
  role   = aws_iam_role.guard[0].id
  policy = jsonencode(local.guard_policy)
}

resource "aws_lambda_function" "guard" {
  #checkov:skip=CKV_AWS_116:CloudWatch invokes the guard asynchronously and Lambda retries it; a lost event is harmless because the watch in bgtui acts on the same alarms.
  #checkov:skip=CKV_AWS_117:The guard calls only AWS APIs; attach a VPC by wrapping the module when the account requires it.
  #checkov:skip=CKV_AWS_272:The guard's code ships inside the module and is checked against its source in CI.
  count = local.guard_count

  function_name                  = local.guard_name
  description                    = "bgtui guard of ${var.function_name}: rolls live back on its alarms during the watch window"
  role                           = aws_iam_role.guard[0].arn
  filename                       = local.guard_zip
  source_code_hash               = filebase64sha256(local.guard_zip)
  handler                        = "guard.handler"
  runtime                        = "python3.12"
  memory_size                    = 128
  timeout                        = 30
  architectures                  = var.architectures
  reserved_concurrent_executions = var.guard_reserved_concurrency
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  tracing_config {
    mode = var.tracing_mode
  }

  environment {
    variables = {
      GUARD_FUNCTION_NAME    = aws_lambda_function.this.function_name
      GUARD_API_ID           = aws_api_gateway_rest_api.this.id
      GUARD_TEST_STAGE       = var.test_stage_name
      GUARD_AUDIT_LOG_GROUP  = aws_cloudwatch_log_group.audit.name
      GUARD_ENVIRONMENT      = var.environment
      GUARD_NOTIFY_TOPIC_ARN = var.notify_sns_topic_arn == null ? "" : var.notify_sns_topic_arn
    }
  }

  depends_on = [aws_cloudwatch_log_group.guard, aws_iam_role_policy.guard]
}

resource "aws_lambda_permission" "guard" {
  for_each = var.enable_guard ? local.live_alarms : {}

  statement_id   = "bgtui-alarm-${each.key}"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.guard[0].function_name
  principal      = "lambda.alarms.cloudwatch.amazonaws.com"
  source_account = local.account_id
  source_arn     = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${local.alarm_prefix}${each.key}"
}
