# The REST API: every path and method proxied to the alias named by the stage variable lambdaAlias.

locals {
  integration_uri = join("", [
    "arn:${local.partition}:apigateway:${local.region}:lambda:path/2015-03-31/functions/",
    aws_lambda_function.this.arn,
    ":$${stageVariables.lambdaAlias}/invocations",
  ])
  access_log_format = jsonencode({
    requestId = "$context.requestId"
    time      = "$context.requestTime"
    stage     = "$context.stage"
    method    = "$context.httpMethod"
    path      = "$context.path"
    status    = "$context.status"
    latencyMs = "$context.responseLatency"
    alias     = "$stageVariables.lambdaAlias"
  })
  api_resources = {
    root  = aws_api_gateway_rest_api.this.root_resource_id
    proxy = aws_api_gateway_resource.proxy.id
  }
}

resource "aws_api_gateway_rest_api" "this" {
  name        = local.api_name
  description = "${local.service_name}: prod serves the live alias, test serves the idle colour"
  tags        = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_resource" "proxy" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = "{proxy+}"
}

resource "aws_api_gateway_method" "any" {
  #checkov:skip=CKV_AWS_59:A public service API by design; the function authenticates its callers.
  #checkov:skip=CKV2_AWS_53:The proxy integration passes requests through unchanged; the function validates them.
  for_each = local.api_resources

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = each.value
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "alias" {
  for_each = local.api_resources

  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = each.value
  http_method             = aws_api_gateway_method.any[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = local.integration_uri
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  description = "bgtui proxy to ${var.function_name}"

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.proxy.id,
      [for m in aws_api_gateway_method.any : m.id],
      [for i in aws_api_gateway_integration.alias : [i.id, i.uri]],
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "prod" {
  #checkov:skip=CKV_AWS_120:Caching would keep serving the previous colour's answers after a swap.
  #checkov:skip=CKV2_AWS_51:Mutual TLS needs a custom domain name, which is managed outside this module.
  #checkov:skip=CKV2_AWS_29:Web ACLs are shared per account and associated outside this module.
  #checkov:skip=CKV_AWS_76:Access logs need the account-level API Gateway logging role; set access_log_destination_arn to enable them.
  #checkov:skip=CKV2_AWS_4:Execution logs need the account-level API Gateway logging role; stage metrics and the function's logs cover operations.
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.prod_stage_name
  xray_tracing_enabled = var.xray_tracing_enabled
  tags                 = var.tags

  variables = {
    lambdaAlias = "live"
  }

  dynamic "access_log_settings" {
    for_each = var.access_log_destination_arn == null ? [] : [var.access_log_destination_arn]
    content {
      destination_arn = access_log_settings.value
      format          = local.access_log_format
    }
  }
}

resource "aws_api_gateway_stage" "test" {
  #checkov:skip=CKV_AWS_120:Caching would keep serving the previous colour's answers after a swap.
  #checkov:skip=CKV2_AWS_51:Mutual TLS needs a custom domain name, which is managed outside this module.
  #checkov:skip=CKV2_AWS_29:Web ACLs are shared per account and associated outside this module.
  #checkov:skip=CKV_AWS_76:Access logs need the account-level API Gateway logging role; set access_log_destination_arn to enable them.
  #checkov:skip=CKV2_AWS_4:Execution logs need the account-level API Gateway logging role; stage metrics and the function's logs cover operations.
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.test_stage_name
  xray_tracing_enabled = var.xray_tracing_enabled
  tags                 = var.tags

  variables = {
    lambdaAlias = "green"
  }

  dynamic "access_log_settings" {
    for_each = var.access_log_destination_arn == null ? [] : [var.access_log_destination_arn]
    content {
      destination_arn = access_log_settings.value
      format          = local.access_log_format
    }
  }

  lifecycle {
    # bgtui points the test stage at whichever colour is idle.
    ignore_changes = [variables]
  }
}
