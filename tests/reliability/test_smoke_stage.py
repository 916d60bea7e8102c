"""The smoke test's request to the `test` stage, through the fault proxy: a check that could not
run is never a pass, and an answer from the wrong version is a failure."""

from __future__ import annotations

import json
from typing import Any

from bgtui.demo.stack import ProvisionedService
from bgtui.emulator.clients import EmulatorClients
from tests.reliability.fault_proxy import Drop, FaultProxy
from tests.reliability.harness import Cli, pointers
from tests.reliability.wire import WireRequest


def stage_request(request: WireRequest) -> bool:
    return "/_user_request_" in request.path


def smoke(cli: Cli, service: ProvisionedService, endpoint: str) -> tuple[int, dict[str, Any]]:
    ran = cli("test", service.function, "--json", endpoint=endpoint)
    assert ran.out, ran.err
    return ran.code, json.loads(ran.out)


def http_result(doc: dict[str, Any]) -> dict[str, Any]:
    (found,) = [r for r in doc["results"] if r["kind"] == "http"]
    return found


def test_a_test_stage_that_cannot_be_reached_is_not_run_and_blocks_promotion(
    cli: Cli, proxy: FaultProxy, service: ProvisionedService, clients: EmulatorClients
) -> None:
    proxy.add(Drop(), stage_request)
    before = pointers(clients, service)
    code, doc = smoke(cli, service, proxy.url)
    checked = http_result(doc)
    assert code == 1 and not doc["passed"]
    assert (checked["ran"], checked["passed"], checked["executed_version"]) == (False, False, None)
    assert checked["detail"].startswith("not run: GET ")
    assert [r["passed"] for r in doc["results"] if r["kind"] == "invoke"] == [True]
    promoted = cli("promote", service.function, "--reason", "CHG-1", "--yes", endpoint=proxy.url)
    assert promoted.code == 1 and "smoke-passed" in promoted.err and promoted.one_line_error
    assert pointers(clients, service) == before


def test_a_test_stage_on_the_live_colour_fails_naming_the_version_that_answered(
    cli: Cli, service: ProvisionedService, clients: EmulatorClients
) -> None:
    clients.apigateway.update_stage(
        restApiId=service.api_id,
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": "blue"}],
    )
    code, doc = smoke(cli, service, cli.endpoint)
    checked = http_result(doc)
    assert code == 1 and checked["ran"] and not checked["passed"]
    assert checked["executed_version"] == service.blue
    expected = (
        f"answered by v{service.blue} (the live version: production answered) "
        f"through blue, not the idle green v{service.green}"
    )
    assert expected in checked["detail"]
