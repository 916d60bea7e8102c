"""The adopt adapter's exact calls, checked by botocore's Stubber against the service models
(lambda 2015-03-31 AddPermission with Qualifier; apigateway 2015-07-09 GetIntegration names the
integration's method `httpMethod`, PutIntegration takes it as `integrationHttpMethod`, and
timeoutInMillis defaults to 29,000)."""

from __future__ import annotations

from bgtui.adapters.aws.adoption import AwsAdoption
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.adopting import Integration
from tests.adapters.conftest import Stub

API = "a1b2c3d4e5"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders"
OLD_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ARN}:prod/invocations"
NEW_URI = OLD_URI.replace(":prod/", ":${stageVariables.lambdaAlias}/")


def test_routing_puts_the_integration_again_with_its_own_fields(
    aws: AwsContext, stub: Stub
) -> None:
    apigateway = stub("apigateway")
    where = {"restApiId": API, "resourceId": "r0", "httpMethod": "ANY"}
    apigateway.add_response(
        "get_integration",
        {"type": "AWS_PROXY", "httpMethod": "POST", "uri": OLD_URI, "passthroughBehavior": "NEVER"},
        where,
    )
    apigateway.add_response(
        "put_integration",
        {"uri": NEW_URI},
        {
            **where,
            "uri": NEW_URI,
            "type": "AWS_PROXY",
            "integrationHttpMethod": "POST",
            "passthroughBehavior": "NEVER",
            "timeoutInMillis": 29000,
        },
    )
    AwsAdoption(aws).route_integration(API, Integration("r0", "/", "ANY", OLD_URI), NEW_URI)


def test_the_invoke_permission_is_for_the_alias_and_this_api(aws: AwsContext, stub: Stub) -> None:
    lam = stub("lambda", write=True)
    lam.add_response(
        "get_function",
        {"Configuration": {"FunctionArn": ARN}},
        {"FunctionName": "orders"},
    )
    lam.add_response(
        "add_permission",
        {"Statement": "{}"},
        {
            "FunctionName": "orders",
            "Qualifier": "live",
            "StatementId": "bgtui-apigateway-live",
            "Action": "lambda:InvokeFunction",
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": f"arn:aws:execute-api:us-east-1:123456789012:{API}/*/*",
        },
    )
    AwsAdoption(aws).add_permission("orders", "live", "bgtui-apigateway-live", API)
