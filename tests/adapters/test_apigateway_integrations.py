"""ApiGatewayStages.lambda_integrations: every method's Lambda integration in one paged read.

The request and answer shapes are botocore's service model apigateway/2015-07-09/service-2.json:
GetResources takes `embed` (a list; "methods" is the one value API Gateway accepts) and pages by
`position`/`limit` (paginators-1.json: result key `items`); a Resource's `resourceMethods` maps
the HTTP method to a Method whose `methodIntegration` is an Integration with `type` and `uri`.
"""

from __future__ import annotations

from bgtui.adapters.aws.apigateway import RESOURCES_PAGE, ApiGatewayStages
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.routing import ApiIntegration
from tests.adapters.conftest import Stub

API = "a1b2c3d4e5"
LAMBDA_URI = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:orders:${stageVariables.alias}/invocations"
)


def method(kind: str, uri: str) -> dict[str, object]:
    return {"httpMethod": "ANY", "methodIntegration": {"type": kind, "uri": uri}}


def test_lambda_integrations_embed_methods_and_follow_every_page(
    aws: AwsContext, stub: Stub
) -> None:
    apigateway = stub("apigateway")
    expected = {"restApiId": API, "embed": ["methods"], "limit": RESOURCES_PAGE}
    apigateway.add_response(
        "get_resources",
        {
            "items": [
                {"id": "r0", "path": "/"},
                {
                    "id": "r1",
                    "path": "/orders",
                    "resourceMethods": {"ANY": method("AWS_PROXY", LAMBDA_URI)},
                },
            ],
            "position": "next",
        },
        expected,
    )
    apigateway.add_response(
        "get_resources",
        {
            "items": [
                {"id": "r2", "path": "/health", "resourceMethods": {"GET": method("MOCK", "")}},
                {
                    "id": "r3",
                    "path": "/site",
                    "resourceMethods": {"GET": method("HTTP_PROXY", "https://example.com")},
                },
                {
                    "id": "r4",
                    "path": "/legacy",
                    "resourceMethods": {"POST": method("AWS", LAMBDA_URI)},
                },
            ]
        },
        {**expected, "position": "next"},
    )
    found = ApiGatewayStages(aws).lambda_integrations(API)
    assert found == (
        ApiIntegration("ANY /orders", LAMBDA_URI),
        ApiIntegration("POST /legacy", LAMBDA_URI),
    )
    apigateway.assert_no_pending_responses()
