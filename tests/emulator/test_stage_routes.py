"""Stage invoke URLs through the emulator: stage → lambdaAlias → alias → version → answer.

The event and the answer follow the API Gateway developer guide, "Lambda proxy integrations in
API Gateway" (input and output format of a Lambda function for proxy integration); a failed or
malformed function answer is a 502 "Internal server error", a missing route a 403 "Missing
Authentication Token", as API Gateway answers them.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
import urllib3

from bgtui.adapters.aws.apigateway import emulated_invoke_url
from bgtui.demo.stack import ProvisionedService, provision_service
from bgtui.emulator.clients import EmulatorClients

ECHO = """
import json

def handler(event, context):
    if event["path"] == "/malformed":
        return {"statusCode": 200, "body": {"not": "a string"}}
    headers = {"X-Bgtui-Version": context.function_version, "Set-Cookie": "a=1"}
    return {"statusCode": 201, "headers": headers, "body": json.dumps(event)}
"""


@pytest.fixture
def service(clean_emulator: str) -> ProvisionedService:
    """blue v2 live, green v3 the broken candidate, test stage on green."""
    return provision_service(clean_emulator, "orders", versions=2, broken_candidate=True)


def stage_url(endpoint: str, service: ProvisionedService, stage: str) -> str:
    return emulated_invoke_url(endpoint, service.api_id, stage)


def get(url: str, **extra: Any) -> urllib3.BaseHTTPResponse:
    return urllib3.request(extra.pop("method", "GET"), url, retries=False, **extra)


def point_test_stage(endpoint: str, service: ProvisionedService, alias: str) -> None:
    EmulatorClients(endpoint).apigateway.update_stage(
        restApiId=service.api_id,
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": alias}],
    )


def test_each_stage_answers_from_the_version_its_alias_names(
    clean_emulator: str, service: ProvisionedService
) -> None:
    prod = get(stage_url(clean_emulator, service, "prod") + "/")
    assert prod.status == 200 and prod.headers["X-Bgtui-Version"] == "2"
    assert json.loads(prod.data) == {"ok": True, "version": "2"}
    test = get(stage_url(clean_emulator, service, "test") + "/orders/7")
    assert test.status == 502 and json.loads(test.data) == {"message": "Internal server error"}
    assert test.headers["x-amzn-ErrorType"] == "InternalServerErrorException"


def test_a_test_stage_pointed_at_the_other_colour_answers_from_it(
    clean_emulator: str, service: ProvisionedService
) -> None:
    point_test_stage(clean_emulator, service, "blue")
    answer = get(stage_url(clean_emulator, service, "test") + "/")
    assert answer.status == 200 and answer.headers["X-Bgtui-Version"] == "2"


def test_an_alias_that_does_not_exist_is_an_integration_failure(
    clean_emulator: str, service: ProvisionedService
) -> None:
    point_test_stage(clean_emulator, service, "purple")
    assert get(stage_url(clean_emulator, service, "test") + "/").status == 500


def test_an_unknown_stage_or_api_is_forbidden(
    clean_emulator: str, service: ProvisionedService
) -> None:
    assert get(stage_url(clean_emulator, service, "staging") + "/").status == 403
    assert get(emulated_invoke_url(clean_emulator, "nosuchapi", "prod") + "/").status == 403


def deploy_echo(endpoint: str) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", ECHO)
    lambda_ = EmulatorClients(endpoint).lambda_
    lambda_.update_function_code(FunctionName="orders", ZipFile=buffer.getvalue())
    version = str(lambda_.publish_version(FunctionName="orders")["Version"])
    lambda_.update_alias(FunctionName="orders", Name="green", FunctionVersion=version)
    return version


def test_the_function_gets_the_proxy_event_and_shapes_the_answer(
    clean_emulator: str, service: ProvisionedService
) -> None:
    version = deploy_echo(clean_emulator)
    answer = get(
        stage_url(clean_emulator, service, "test") + "/orders/7?x=1&x=2&y=",
        method="POST",
        body=b'{"amount": 3}',
        headers={"X-Trace": "abc", "Content-Type": "application/json"},
    )
    assert answer.status == 201 and answer.headers["X-Bgtui-Version"] == version
    assert answer.headers["Set-Cookie"] == "a=1"
    event = json.loads(answer.data)
    assert (event["resource"], event["path"], event["httpMethod"]) == (
        "/{proxy+}",
        "/orders/7",
        "POST",
    )
    assert event["pathParameters"] == {"proxy": "orders/7"}
    assert event["stageVariables"] == {"lambdaAlias": "green"}
    assert event["queryStringParameters"] == {"x": "2", "y": ""}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"], "y": [""]}
    assert event["headers"]["X-Trace"] == "abc"
    assert event["body"] == '{"amount": 3}' and event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert (context["stage"], context["apiId"], context["path"]) == (
        "test",
        service.api_id,
        "/test/orders/7",
    )


def test_the_root_resource_serves_the_bare_stage_url(
    clean_emulator: str, service: ProvisionedService
) -> None:
    deploy_echo(clean_emulator)
    event = json.loads(get(stage_url(clean_emulator, service, "test") + "/").data)
    assert (event["resource"], event["path"], event["pathParameters"]) == ("/", "/", None)


def test_a_malformed_function_answer_is_a_bad_gateway(
    clean_emulator: str, service: ProvisionedService
) -> None:
    deploy_echo(clean_emulator)
    answer = get(stage_url(clean_emulator, service, "test") + "/malformed")
    assert answer.status == 502 and json.loads(answer.data)["message"] == "Internal server error"
