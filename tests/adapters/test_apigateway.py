"""ApiGatewayStages: stage variables read and patched in place, never redeployed."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from bgtui.adapters.aws.apigateway import ApiGatewayStages
from bgtui.adapters.aws.session import AwsContext, make_clients
from bgtui.core.errors import BadInput, NotFound
from bgtui.core.models import StageState
from tests.adapters.conftest import REGION, Stub, fake_session

API = "a1b2c3d4e5"


def stage(name: str, alias: str | None) -> dict[str, object]:
    variables = {"lambdaAlias": alias} if alias else {}
    return {"stageName": name, "deploymentId": "d1", "variables": variables}


def test_get_stages_reads_lambda_alias_and_builds_invoke_urls(aws: AwsContext, stub: Stub) -> None:
    stub("apigateway").add_response(
        "get_stages",
        {"item": [stage("prod", "live"), stage("test", "green"), stage("scratch", None)]},
        {"restApiId": API},
    )
    stages = ApiGatewayStages(aws).get_stages(API)
    assert stages["prod"] == StageState(
        "prod", "live", f"https://{API}.execute-api.us-east-1.amazonaws.com/prod"
    )
    assert stages["test"].lambda_alias == "green"
    assert stages["scratch"].lambda_alias is None


def test_an_endpoint_override_serves_stages_at_the_emulator_path() -> None:
    """An emulator does not serve execute-api host names; moto's path form names the stage."""
    local = make_clients(None, REGION, "http://127.0.0.1:4566/", session=fake_session(), environ={})
    with Stubber(local.client("apigateway")) as apigateway:
        apigateway.add_response("get_stages", {"item": [stage("prod", "live")]})
        url = ApiGatewayStages(local).get_stages(API)["prod"].invoke_url
    assert url == f"http://127.0.0.1:4566/restapis/{API}/prod/_user_request_"


def test_point_stage_patches_the_variable(aws: AwsContext, stub: Stub) -> None:
    stub("apigateway").add_response(
        "update_stage",
        stage("test", "blue"),
        {
            "restApiId": API,
            "stageName": "test",
            "patchOperations": [
                {"op": "replace", "path": "/variables/lambdaAlias", "value": "blue"}
            ],
        },
    )
    assert ApiGatewayStages(aws).point_stage(API, "test", "blue").lambda_alias == "blue"


def test_point_stage_on_a_missing_stage_is_not_found(aws: AwsContext, stub: Stub) -> None:
    stub("apigateway").add_client_error(
        "update_stage", "NotFoundException", "Invalid Stage identifier specified", 404
    )
    with pytest.raises(NotFound, match="stage test of REST API a1b2c3d4e5: not found"):
        ApiGatewayStages(aws).point_stage(API, "test", "blue")


def test_point_stage_refuses_a_value_that_is_not_an_alias_name(aws: AwsContext) -> None:
    with pytest.raises(BadInput, match="is not a Lambda alias name"):
        ApiGatewayStages(aws).point_stage(API, "test", "blue/../live")
