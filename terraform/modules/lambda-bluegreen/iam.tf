# IAM: the function's execution role, and the operator and read-only policies for bgtui's users.

locals {
  execution_role_arn = coalesce(var.execution_role_arn, try(aws_iam_role.execution[0].arn, null))

  # AWS authorises the alias, version and code calls (UpdateAlias, GetAlias, ListAliases,
  # ListVersionsByFunction, PublishVersion, UpdateFunctionCode) on the unqualified function
  # ARN, whichever alias they touch (Service Authorization Reference); an invoke with a
  # qualifier on the alias ARN, and a read with one on the function and the version or alias.
  function_arn         = aws_lambda_function.this.arn
  version_arn_pattern  = "${local.function_arn}:*"
  colour_alias_arns    = [for colour in ["blue", "green"] : "${local.function_arn}:${colour}"]
  alias_arns           = [for alias in keys(local.alias_descriptions) : "${local.function_arn}:${alias}"]
  rest_api_arn         = "arn:${local.partition}:apigateway:${local.region}::/restapis/${aws_api_gateway_rest_api.this.id}"
  stages_arn           = "${local.rest_api_arn}/stages"
  alarm_arns           = [for key in keys(local.alarms) : "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${local.alarm_prefix}${key}"]
  dashboard_arn        = "arn:${local.partition}:cloudwatch::${local.account_id}:dashboard/${local.dashboard_name}"
  audit_log_group_arn  = aws_cloudwatch_log_group.audit.arn
  audit_log_stream_arn = "${local.audit_log_group_arn}:log-stream:*"
  log_group_arns       = [local.audit_log_group_arn, aws_cloudwatch_log_group.function.arn]
  # FilterLogEvents and StartLiveTail are authorised on the log group's ARN (Service
  # Authorization Reference); the `:*` form is the one the AWS console's own policies use.
  function_log_arns = [aws_cloudwatch_log_group.function.arn, "${aws_cloudwatch_log_group.function.arn}:*"]
  function_logs = {
    Sid      = "ReadFunctionLogs", Effect = "Allow", Action = ["logs:FilterLogEvents", "logs:StartLiveTail"],
    Resource = local.function_log_arns
  }
  # The team's trail: every operator's shipped audit records, read back with FilterLogEvents
  # (authorised on the log group's ARN, Service Authorization Reference).
  team_trail = {
    Sid      = "ReadTeamAuditTrail", Effect = "Allow", Action = ["logs:FilterLogEvents"],
    Resource = [local.audit_log_group_arn, "${local.audit_log_group_arn}:*"]
  }
  iam_arn_prefix = "arn:${local.partition}:iam::${local.account_id}"
  policy_names = {
    operator  = "${var.function_name}-bluegreen-operator"
    read_only = "${var.function_name}-bluegreen-read-only"
  }

  # Actions AWS authorises only on "*": discovery, metrics and identity (the account's alias
  # too, so the console names the account the operator is in).
  account_wide_reads = ["tag:GetResources", "cloudwatch:GetMetricData", "sts:GetCallerIdentity", "iam:ListAccountAliases"]
  function_reads     = ["lambda:ListAliases", "lambda:GetAlias", "lambda:ListVersionsByFunction"]

  # bgtui's release notifications publish to this topic when one is given: SNS authorises
  # Publish on the topic's ARN (Service Authorization Reference, resource type `topic`).
  publish_events = concat(var.notify_sns_topic_arn == null ? [] : [{
    Sid = "PublishReleaseEvents", Effect = "Allow", Action = ["sns:Publish"], Resource = [var.notify_sns_topic_arn]
  }], local.encrypt_events)
  # An encrypted topic: SNS asks KMS for each message's data key as the publisher, so the
  # publisher needs GenerateDataKey and Decrypt on the topic's key (SNS Developer Guide, "Key
  # management"). Both are authorised on the `key` resource and take kms:EncryptionContext
  # conditions (Service Authorization Reference); SNS's context is aws:sns:topicArn, the one
  # AWS's guides condition encrypted-topic key policies on.
  encrypt_events = var.notify_kms_key_arn == null || var.notify_sns_topic_arn == null ? [] : [{
    Sid       = "EncryptReleaseEvents", Effect = "Allow", Action = ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource  = [var.notify_kms_key_arn]
    Condition = { StringEquals = { "kms:EncryptionContext:aws:sns:topicArn" = var.notify_sns_topic_arn } }
  }]

  operator_policy = {
    Version = "2012-10-17"
    Statement = concat([
      { Sid = "DiscoverMeasureIdentify", Effect = "Allow", Action = local.account_wide_reads, Resource = "*" },
      {
        Sid      = "ReadAndReleaseFunction", Effect = "Allow",
        Action   = concat(local.function_reads, ["lambda:GetFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:PublishVersion", "lambda:UpdateAlias"]),
        Resource = [local.function_arn]
      },
      { Sid = "ReadVersions", Effect = "Allow", Action = ["lambda:GetFunctionConfiguration"], Resource = [local.version_arn_pattern] },
      { Sid = "InvokeColours", Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = local.colour_alias_arns },
      { Sid = "ReadStages", Effect = "Allow", Action = ["apigateway:GET"], Resource = [local.stages_arn] },
      {
        Sid      = "PointTestStage", Effect = "Allow", Action = ["apigateway:PATCH"],
        Resource = ["${local.stages_arn}/${var.test_stage_name}"]
      },
      { Sid = "ReadAlarms", Effect = "Allow", Action = ["cloudwatch:DescribeAlarms"], Resource = local.alarm_arns },
      {
        Sid      = "ShipAudit", Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource = [local.audit_log_stream_arn]
      },
      local.function_logs,
      local.team_trail,
    ], local.publish_events)
  }

  # Status, smoke tests of the colours (never of live) and the reads `terraform plan` refreshes.
  read_only_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DiscoverMeasureIdentify", Effect = "Allow",
        Action   = concat(local.account_wide_reads, ["logs:DescribeLogGroups"]),
        Resource = "*"
      },
      {
        Sid      = "ReadFunction", Effect = "Allow",
        Action   = concat(local.function_reads, ["lambda:GetFunction", "lambda:GetPolicy", "lambda:GetFunctionCodeSigningConfig"]),
        Resource = [local.function_arn]
      },
      { Sid = "ReadAliasPolicies", Effect = "Allow", Action = ["lambda:GetPolicy"], Resource = local.alias_arns },
      { Sid = "InvokeColours", Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = local.colour_alias_arns },
      {
        Sid      = "ReadApi", Effect = "Allow", Action = ["apigateway:GET"],
        Resource = [local.rest_api_arn, "${local.rest_api_arn}/*"]
      },
      {
        Sid      = "ReadAlarms", Effect = "Allow",
        Action   = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
        Resource = local.alarm_arns
      },
      { Sid = "ReadDashboard", Effect = "Allow", Action = ["cloudwatch:GetDashboard"], Resource = [local.dashboard_arn] },
      local.function_logs,
      local.team_trail,
      {
        Sid      = "ReadLogGroups", Effect = "Allow",
        Action   = ["logs:ListTagsForResource"],
        Resource = local.log_group_arns
      },
      {
        Sid      = "ReadIam", Effect = "Allow",
        Action   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion"],
        Resource = concat([local.execution_role_arn], [for name in values(local.policy_names) : "${local.iam_arn_prefix}:policy/${name}"])
      },
    ]
  }
}

resource "aws_iam_role" "execution" {
  count = var.execution_role_arn == null ? 1 : 0

  name = "${var.function_name}-execution"
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

resource "aws_iam_role_policy" "execution" {
  count = var.execution_role_arn == null ? 1 : 0

  name = "write-own-logs"
  role = aws_iam_role.execution[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.function.arn}:*"
      }],
      # X-Ray accepts trace segments only on "*".
      var.tracing_mode == "Active" ? [{
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = "*"
      }] : [],
    )
  })
}

resource "aws_iam_policy" "operator" {
  count = var.create_policies ? 1 : 0

  name        = local.policy_names.operator
  description = "bgtui operator of ${var.function_name}: deploy, test, promote, roll back"
  policy      = jsonencode(local.operator_policy)
  tags        = var.tags
}

resource "aws_iam_policy" "read_only" {
  count = var.create_policies ? 1 : 0

  name        = local.policy_names.read_only
  description = "bgtui read-only view of ${var.function_name}: status, smoke tests of the colours, plan"
  policy      = jsonencode(local.read_only_policy)
  tags        = var.tags
}
