# One blue/green service: the function, its three aliases and the naming every other file shares.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  service_name    = coalesce(var.service_name, var.function_name)
  api_name        = coalesce(var.api_name, var.function_name)
  alarm_prefix    = "${var.function_name}-"
  audit_log_group = "/bgtui/audit/${var.function_name}"
  partition       = data.aws_partition.current.partition
  region          = data.aws_region.current.name
  account_id      = data.aws_caller_identity.current.account_id

  # bgtui owns what the aliases point at; Terraform only creates them.
  alias_descriptions = {
    blue  = "bgtui blue colour"
    green = "bgtui green colour"
    live  = jsonencode({ live = "blue", schema = "bgtui/live-v1" })
  }

  discovery_tags = merge({
    "bluegreen:managed"         = "true"
    "bluegreen:service"         = local.service_name
    "bluegreen:api-id"          = aws_api_gateway_rest_api.this.id
    "bluegreen:api-name"        = local.api_name
    "bluegreen:prod-stage"      = var.prod_stage_name
    "bluegreen:test-stage"      = var.test_stage_name
    "bluegreen:alarm-prefix"    = local.alarm_prefix
    "bluegreen:audit-log-group" = local.audit_log_group
    "bluegreen:environment"     = var.environment
    },
    var.smoke_path == "" ? {} : { "bluegreen:smoke-path" = var.smoke_path },
    var.enable_guard ? { "bluegreen:guard" = "on" } : {},
  )
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Invoked synchronously through API Gateway; a dead-letter queue only applies to asynchronous invocations.
  #checkov:skip=CKV_AWS_117:The function calls no private resources; attach a VPC by wrapping the module when it does.
  #checkov:skip=CKV_AWS_272:Releases are published by bgtui from operator-supplied zips; code signing is enforced upstream in the build pipeline.
  function_name                  = var.function_name
  description                    = "${local.service_name} (blue/green, managed by bgtui)"
  role                           = local.execution_role_arn
  filename                       = var.zip_path
  handler                        = var.handler
  runtime                        = var.runtime
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  architectures                  = var.architectures
  publish                        = true
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn
  tags                           = merge(var.tags, local.discovery_tags)

  tracing_config {
    mode = var.tracing_mode
  }

  dynamic "environment" {
    for_each = length(var.function_environment) > 0 ? [var.function_environment] : []
    content {
      variables = environment.value
    }
  }

  depends_on = [aws_cloudwatch_log_group.function, aws_iam_role_policy.execution]

  lifecycle {
    # The zip seeds version 1; releases after that are published by `bgtui deploy`.
    ignore_changes = [filename, source_code_hash]
  }
}

resource "aws_lambda_alias" "this" {
  for_each = local.alias_descriptions

  name             = each.key
  description      = each.value
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version

  lifecycle {
    # Swaps, deploys and rollbacks move these pointers; a plan after them must stay empty.
    ignore_changes = [function_version, description, routing_config]
  }
}

resource "aws_lambda_permission" "api" {
  for_each = aws_lambda_alias.this

  statement_id  = "bgtui-apigateway-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = each.value.name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*"
}
