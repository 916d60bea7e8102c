# The operator and read-only policies: exactly the actions bgtui performs, scoped to this service.

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

override_resource {
  target = aws_cloudwatch_log_group.audit
  values = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/bgtui/audit/orders-api" }
}

override_resource {
  target = aws_cloudwatch_log_group.function
  values = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders-api" }
}

run "policies_grant_what_bgtui_does_scoped_to_the_service" {
  assert {
    condition = toset(flatten([for s in jsondecode(output.operator_policy_json).Statement : s.Action])) == toset([
      "tag:GetResources", "cloudwatch:GetMetricData", "sts:GetCallerIdentity",
      "lambda:ListAliases", "lambda:GetAlias", "lambda:UpdateAlias", "lambda:ListVersionsByFunction",
      "lambda:GetFunctionConfiguration", "lambda:PublishVersion", "lambda:UpdateFunctionCode",
      "lambda:InvokeFunction",
      "apigateway:GET", "apigateway:PATCH",
      "cloudwatch:DescribeAlarms",
      "logs:CreateLogStream", "logs:PutLogEvents",
      "logs:FilterLogEvents", "logs:StartLiveTail",
      "iam:ListAccountAliases",
    ])
    error_message = "the operator policy must list exactly the actions bgtui performs"
  }
  assert {
    condition = alltrue([for s in jsondecode(output.operator_policy_json).Statement :
      toset(s.Action) == toset(["tag:GetResources", "cloudwatch:GetMetricData", "sts:GetCallerIdentity", "iam:ListAccountAliases"])
      if contains(flatten([s.Resource]), "*")
    ])
    error_message = "only tag:GetResources, cloudwatch:GetMetricData, sts:GetCallerIdentity and iam:ListAccountAliases may use Resource *"
  }
  assert {
    condition = alltrue([for s in jsondecode(output.read_only_policy_json).Statement :
      toset(s.Action) == toset(["tag:GetResources", "cloudwatch:GetMetricData", "sts:GetCallerIdentity", "iam:ListAccountAliases", "logs:DescribeLogGroups"])
      if contains(flatten([s.Resource]), "*")
    ])
    error_message = "the read-only policy may use Resource * only for account-wide reads"
  }
  assert {
    condition = alltrue(flatten([for doc in [output.operator_policy_json, output.read_only_policy_json] : [
      for s in jsondecode(doc).Statement : [
        for r in flatten([s.Resource]) : r == "arn:aws:lambda:eu-west-1:123456789012:function:orders-api" || startswith(r, "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:")
      ] if anytrue([for a in s.Action : startswith(a, "lambda:")])
    ]]))
    error_message = "every lambda action must be scoped to this function, its versions and aliases"
  }
  assert {
    # AWS authorises UpdateAlias on the unqualified function ARN (Service Authorization Reference).
    condition = [for s in jsondecode(output.operator_policy_json).Statement : s.Resource if contains(s.Action, "lambda:UpdateAlias")] == [
      ["arn:aws:lambda:eu-west-1:123456789012:function:orders-api"],
    ]
    error_message = "UpdateAlias must be granted on the function ARN, the resource AWS authorises it on"
  }
  assert {
    condition = [for s in jsondecode(output.operator_policy_json).Statement : s.Resource if contains(s.Action, "lambda:InvokeFunction")] == [[
      "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:blue",
      "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:green",
    ]]
    error_message = "operators invoke the colour aliases only (smoke tests of the idle colour), never live"
  }
  assert {
    condition = one([for s in jsondecode(output.operator_policy_json).Statement : s.Resource if contains(s.Action, "apigateway:PATCH")]) == [
      "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/test",
    ]
    error_message = "PATCH must be limited to the test stage of this API"
  }
  assert {
    condition = one([for s in jsondecode(output.operator_policy_json).Statement : s.Resource if contains(s.Action, "apigateway:GET")]) == [
      "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages",
    ]
    error_message = "GET must be limited to this API's stages"
  }
  assert {
    condition = alltrue([for doc in [output.operator_policy_json, output.read_only_policy_json] :
      toset(one([for s in jsondecode(doc).Statement : s.Resource if contains(s.Action, "cloudwatch:DescribeAlarms")])) == toset([
        for name in ["blue-errors", "blue-p99", "green-errors", "green-p99", "live-errors", "live-p99"] :
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-api-${name}"
      ])
    ])
    error_message = "DescribeAlarms must be limited to this service's six alarms, by name"
  }
  assert {
    condition = one([for s in jsondecode(output.operator_policy_json).Statement : s.Resource if contains(s.Action, "logs:PutLogEvents")]) == [
      "arn:aws:logs:eu-west-1:123456789012:log-group:/bgtui/audit/orders-api:log-stream:*",
    ]
    error_message = "the audit writes must be limited to the streams of the audit log group"
  }
  assert {
    condition = length(setintersection(
      toset(flatten([for s in jsondecode(output.read_only_policy_json).Statement : s.Action])),
      toset(["lambda:UpdateAlias", "lambda:PublishVersion", "lambda:UpdateFunctionCode", "apigateway:PATCH", "logs:PutLogEvents", "logs:CreateLogStream"]),
    )) == 0
    error_message = "the read-only policy must not contain a write action"
  }
  assert {
    condition = one([for s in jsondecode(output.read_only_policy_json).Statement : s.Resource if contains(s.Action, "lambda:InvokeFunction")]) == [
      "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:blue",
      "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:green",
    ]
    error_message = "read-only users may invoke the colour aliases only, never live"
  }
  assert {
    condition = (
      aws_iam_policy.operator[0].name == "orders-api-bluegreen-operator" &&
      aws_iam_policy.read_only[0].name == "orders-api-bluegreen-read-only" &&
      jsondecode(aws_iam_policy.operator[0].policy) == jsondecode(output.operator_policy_json)
    )
    error_message = "the policies must be created from the exported documents"
  }
  assert {
    condition     = length(aws_iam_role.execution) == 1 && aws_lambda_function.this.role == "arn:aws:iam::123456789012:role/orders-api-execution"
    error_message = "a role must be created when none is given"
  }
}

run "policies_and_role_can_be_left_to_the_caller" {
  variables {
    create_policies    = false
    execution_role_arn = "arn:aws:iam::123456789012:role/shared-lambda"
  }
  assert {
    condition     = length(aws_iam_policy.operator) == 0 && output.operator_policy_arn == null && length(jsondecode(output.operator_policy_json).Statement) > 0
    error_message = "with create_policies = false only the documents are output"
  }
  assert {
    condition     = length(aws_iam_role.execution) == 0 && aws_lambda_function.this.role == "arn:aws:iam::123456789012:role/shared-lambda"
    error_message = "a given role must be used and none created"
  }
}

run "the_longest_function_name_gives_names_iam_accepts" {
  command = plan
  variables {
    # 54 characters: the role "<function>-execution" is 64, IAM's limit.
    function_name = "a23456789-123456789-123456789-123456789-123456789-1234"
  }
  assert {
    condition     = length(aws_iam_role.execution[0].name) == 64
    error_message = "the execution role name must reach, not pass, IAM's 64 characters"
  }
}

run "a_function_name_too_long_for_the_role_name_is_refused" {
  command = plan
  variables {
    # 56 characters: "<function>-execution" would be 66, over IAM's 64.
    function_name = "a23456789-123456789-123456789-123456789-123456789-123456"
  }
  expect_failures = [var.function_name]
}
