# The function, its aliases, the stages and the discovery tags bgtui relies on.

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

run "a_service_is_discoverable_and_routed_blue_green" {
  assert {
    condition = aws_lambda_function.this.tags == tomap({
      "bluegreen:managed"         = "true"
      "bluegreen:service"         = "Orders API"
      "bluegreen:api-id"          = "a1b2c3d4e5"
      "bluegreen:api-name"        = "orders-api"
      "bluegreen:prod-stage"      = "prod"
      "bluegreen:test-stage"      = "test"
      "bluegreen:alarm-prefix"    = "orders-api-"
      "bluegreen:audit-log-group" = "/bgtui/audit/orders-api"
      "bluegreen:environment"     = "staging"
      "bluegreen:smoke-path"      = "/"
      "team"                      = "payments"
    })
    error_message = "the function does not carry exactly the bluegreen:* discovery tags plus the caller's tags"
  }
  assert {
    condition     = aws_lambda_function.this.publish == true
    error_message = "the function must publish a version so the aliases have one to point at"
  }
  assert {
    condition     = toset(keys(aws_lambda_alias.this)) == toset(["blue", "green", "live"])
    error_message = "expected exactly the aliases blue, green and live"
  }
  assert {
    condition     = aws_lambda_alias.this["live"].description == "{\"live\":\"blue\",\"schema\":\"bgtui/live-v1\"}"
    error_message = "the live alias must start with the bgtui record naming blue as live"
  }
  assert {
    condition     = alltrue([for a in aws_lambda_alias.this : a.function_version == "1"])
    error_message = "every alias must start on the first published version"
  }
  assert {
    condition     = aws_api_gateway_stage.prod.stage_name == "prod" && aws_api_gateway_stage.prod.variables == tomap({ lambdaAlias = "live" })
    error_message = "stage prod must serve the live alias"
  }
  assert {
    condition     = aws_api_gateway_stage.test.stage_name == "test" && aws_api_gateway_stage.test.variables == tomap({ lambdaAlias = "green" })
    error_message = "stage test must start on the idle colour, green"
  }
  assert {
    condition     = toset(keys(aws_api_gateway_integration.alias)) == toset(["root", "proxy"])
    error_message = "both the root and {proxy+} must be integrated"
  }
  assert {
    condition = alltrue([for i in aws_api_gateway_integration.alias :
      i.type == "AWS_PROXY" &&
      i.uri == "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders-api:$${stageVariables.lambdaAlias}/invocations"
    ])
    error_message = "the integration must be AWS_PROXY to the function qualified by $${stageVariables.lambdaAlias}"
  }
  assert {
    condition     = aws_api_gateway_resource.proxy.path_part == "{proxy+}" && alltrue([for m in aws_api_gateway_method.any : m.http_method == "ANY"])
    error_message = "every path and method must be proxied"
  }
  assert {
    condition = alltrue([for q, p in aws_lambda_permission.api :
      p.qualifier == q && p.principal == "apigateway.amazonaws.com" && p.action == "lambda:InvokeFunction" &&
      p.source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/*"
    ]) && length(aws_lambda_permission.api) == 3
    error_message = "each of blue, green and live needs an invoke permission for this API only"
  }
}

run "names_default_to_the_function_and_stages_are_configurable" {
  variables {
    service_name    = null
    prod_stage_name = "production"
    test_stage_name = "preview"
  }
  assert {
    condition     = aws_lambda_function.this.tags["bluegreen:service"] == "orders-api"
    error_message = "bluegreen:service should default to the function name"
  }
  assert {
    condition     = aws_api_gateway_rest_api.this.name == "orders-api"
    error_message = "the REST API should be named after the function"
  }
  assert {
    condition = (
      aws_lambda_function.this.tags["bluegreen:prod-stage"] == "production" &&
      aws_lambda_function.this.tags["bluegreen:test-stage"] == "preview"
    )
    error_message = "the stage tags must follow the stage names"
  }
}

run "bad_service_inputs_are_refused" {
  command = plan
  variables {
    function_name = "orders api!"
    zip_path      = "tests/fixtures/absent.zip"
  }
  expect_failures = [var.function_name, var.zip_path]
}
