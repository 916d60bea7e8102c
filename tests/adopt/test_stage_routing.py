"""A plain stack's test stage checked for what it really invokes, against the emulator.

The shapes read are botocore's service model apigateway/2015-07-09/service-2.json: GetResources
(`embed=methods`, result `items`, each Resource's `resourceMethods` → Method →
`methodIntegration` → Integration `type` and `uri`) and GetStages (Stage `deploymentId`,
`variables`). A Lambda integration URI has the form
`arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`
(the Integration `uri` member's documentation in the same model).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgtui.adapters.aws.apigateway import ApiGatewayStages
from bgtui.adapters.aws.call_log import CallLog
from bgtui.adapters.aws.cloudwatch import CloudWatchAlarms
from bgtui.adapters.aws.lambda_functions import LambdaFunctions
from bgtui.adapters.aws.session import make_clients
from bgtui.cli.main import main
from bgtui.core.catalog import Catalog
from bgtui.core.models import ServiceRef
from bgtui.emulator.clients import EmulatorClients
from tests.adopt.plain_stack import PlainStack, make_plain_stack

REGION = "us-east-1"
PROBLEM = (
    "test stage does not route by stageVariables.alias: it serves prod's alias"
    " — tests on it test production"
)


def _config(tmp_path: Path, plain: PlainStack) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        "[[service]]\n"
        f'function = "{plain.function}"\napi_id = "{plain.api_id}"\n'
        'live_alias = "prod"\ncandidate_alias = "test"\nstage_variable = "alias"\n'
    )
    return config


def _status(url: str, config: Path, capsys, text: bool = False) -> tuple[int, str]:
    args = ["--endpoint-url", url, "--region", REGION, "--config", str(config), "status"]
    code = main([*args, "orders"] if text else [*args, "orders", "--json"])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("routes_by_variable", [False, True])
def test_status_names_a_test_stage_that_serves_production(
    clean_emulator: str, tmp_path: Path, monkeypatch, capsys, routes_by_variable: bool
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    plain = make_plain_stack(EmulatorClients(clean_emulator, REGION), routes_by_variable)
    config = _config(tmp_path, plain)

    code, out = _status(clean_emulator, config, capsys)
    assert code == 0
    service = json.loads(out)["services"][0]
    routing = service["routing"]
    assert routing["unreadable"] is None
    test_routes = [r for r in routing["routes"] if r["stage"] == "test"]
    assert [r["method"] for r in test_routes] == ["ANY /"]
    if routes_by_variable:
        assert routing["problems"] == []
        assert test_routes[0] | {"method": ""} == {
            "stage": "test",
            "method": "",
            "kind": "variable",
            "target": "alias",
            "serves": "test",
        }
    else:
        assert routing["problems"] == [PROBLEM]
        assert (test_routes[0]["kind"], test_routes[0]["serves"]) == ("pinned", "prod")
    # A warning, not a broken pair: the consistency gate and the smoke run still work.
    assert service["problems"] == []
    # Each role carries the real alias name beside its colour.
    assert service["live"] | {"colour": None} == {"colour": None, "version": "1", "alias": "prod"}
    assert service["idle"] == {"colour": "green", "alias": "test", "version": "2"}

    code, text = _status(clean_emulator, config, capsys, text=True)
    assert code == 0
    assert (f"! orders: {PROBLEM}" in text) is not routes_by_variable
    assert text.splitlines()[1].split()[1:3] == ["prod", "v1"], "the live role by its name"


def test_integrations_are_read_once_per_deployment(clean_emulator: str) -> None:
    """A refresh of unchanged stages costs no GetResources; a new deployment is read again."""
    clients = EmulatorClients(clean_emulator, REGION)
    plain = make_plain_stack(clients, test_routes_by_variable=False)
    log = CallLog()
    context = make_clients(None, REGION, clean_emulator, log)
    stages = ApiGatewayStages(context)
    catalog = Catalog(
        LambdaFunctions(context), stages, CloudWatchAlarms(context), REGION, integrations=stages
    )
    ref = ServiceRef(
        plain.function,
        REGION,
        api_id=plain.api_id,
        live_alias="prod",
        candidate_alias="test",
        stage_variable="alias",
    )
    for _ in range(4):
        assert catalog.read(ref).routing_problems == (PROBLEM,)
    assert log.count("apigateway:GetResources") == 1
    assert log.count("apigateway:GetStages") == 4

    deployment = clients.apigateway.create_deployment(restApiId=plain.api_id)["id"]
    clients.apigateway.update_stage(
        restApiId=plain.api_id,
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/deploymentId", "value": deployment}],
    )
    assert catalog.read(ref).routing_problems == (PROBLEM,)
    assert log.count("apigateway:GetResources") == 2
