# A service the way teams build one without bgtui: one function, aliases `prod` and `test`, and a
# REST API whose stages pick the alias through the stage variable `alias`. No module, no tags.

data "aws_region" "current" {}

resource "aws_iam_role" "function" {
  name = "${var.function_name}-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.function.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_cloudwatch_log_group" "function" {
  name = "/aws/lambda/${var.function_name}"
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  role             = aws_iam_role.function.arn
  handler          = "index.handler"
  runtime          = "python3.12"
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  publish          = true

  depends_on = [aws_cloudwatch_log_group.function, aws_iam_role_policy_attachment.logs]
}

resource "aws_lambda_alias" "prod" {
  name             = "prod"
  function_name    = aws_lambda_function.this.function_name
  function_version = var.prod_version
}

resource "aws_lambda_alias" "test" {
  name             = "test"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_permission" "api" {
  for_each = {
    prod = aws_lambda_alias.prod.name
    test = aws_lambda_alias.test.name
  }

  statement_id  = "apigateway-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = each.value
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*"
}

resource "aws_api_gateway_rest_api" "this" {
  name = "${var.function_name}-api"
}

resource "aws_api_gateway_method" "any" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = aws_api_gateway_rest_api.this.root_resource_id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "alias" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_rest_api.this.root_resource_id
  http_method             = aws_api_gateway_method.any.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  # Each stage reaches the alias its `alias` variable names.
  uri = "arn:aws:apigateway:${data.aws_region.current.name}:lambda:path/2015-03-31/functions/${aws_lambda_function.this.arn}:$${stageVariables.alias}/invocations"
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    integration = aws_api_gateway_integration.alias.uri
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "this" {
  for_each = toset(["prod", "test"])

  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = each.key
  variables = {
    alias = each.key
  }
}
