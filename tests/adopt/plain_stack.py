"""A stack made the way teams make them without bgtui: two aliases, two stages, variable `alias`."""

from __future__ import annotations

from dataclasses import dataclass

from bgtui.demo.code import demo_package
from bgtui.demo.stack import ensure_lambda_role
from bgtui.emulator.clients import EmulatorClients

FUNCTION = "orders"
OWNERS_NOTE = "production alias, managed by deploy.sh"


@dataclass(frozen=True)
class PlainStack:
    """What the fixture made: the function, its REST API and the versions it published."""

    function: str
    api_id: str
    versions: tuple[str, ...]


def make_plain_stack(clients: EmulatorClients, test_routes_by_variable: bool = True) -> PlainStack:
    """Versions 1-3; `prod` → v1 (with the owners' description), `test` → v2; stages prod and
    test set `alias`; with `test_routes_by_variable` False the test stage's integration names
    the prod alias, the mistake such stacks often carry."""
    role = ensure_lambda_role(clients)
    lam = clients.lambda_
    lam.create_function(
        FunctionName=FUNCTION,
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": demo_package(FUNCTION, 1)},
        Publish=True,
    )
    for build in (2, 3):
        lam.update_function_code(
            FunctionName=FUNCTION, ZipFile=demo_package(FUNCTION, build), Publish=True
        )
    lam.create_alias(
        FunctionName=FUNCTION, Name="prod", FunctionVersion="1", Description=OWNERS_NOTE
    )
    lam.create_alias(FunctionName=FUNCTION, Name="test", FunctionVersion="2")
    return PlainStack(FUNCTION, _api(clients, test_routes_by_variable), ("1", "2", "3"))


def _api(clients: EmulatorClients, test_routes_by_variable: bool) -> str:
    api = clients.apigateway
    api_id = api.create_rest_api(name=f"{FUNCTION}-api")["id"]
    root = api.get_resources(restApiId=api_id)["items"][0]["id"]
    api.put_method(restApiId=api_id, resourceId=root, httpMethod="ANY", authorizationType="NONE")
    target = "${stageVariables.alias}" if test_routes_by_variable else "prod"
    arn = f"arn:aws:lambda:{clients.region}:123456789012:function:{FUNCTION}:{target}"
    api.put_integration(
        restApiId=api_id,
        resourceId=root,
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:{clients.region}:lambda:path/2015-03-31/functions/{arn}/invocations",
    )
    deployment = api.create_deployment(restApiId=api_id)["id"]
    for stage in ("prod", "test"):
        api.create_stage(
            restApiId=api_id, stageName=stage, deploymentId=deployment, variables={"alias": stage}
        )
    return api_id
