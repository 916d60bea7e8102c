"""The demo stack matches the shared conventions: tags, aliases, record, stages, alarms, logs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bgtui.core.errors import BadInput
from bgtui.core.models import Colour, LiveRecord, PreviousLive
from bgtui.demo.stack import DEMO_SERVICES, provision_demo, provision_service
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import Emulator

FUNCTIONS = ["payments-api", "ledger-writer", "fx-rates"]


@pytest.fixture(scope="module")
def stack(emulator: Emulator) -> EmulatorClients:
    """Provisioned once: these tests only read."""
    emulator.reset()
    assert provision_demo(emulator.url) == FUNCTIONS
    return EmulatorClients(emulator.url)


def _aliases(clients: EmulatorClients, function: str) -> dict[str, dict[str, Any]]:
    answer = clients.lambda_.list_aliases(FunctionName=function)
    return {a["Name"]: a for a in answer["Aliases"]}


def test_services_are_discovered_by_tag_with_every_convention_tag(stack: EmulatorClients) -> None:
    pages = stack.tagging.get_paginator("get_resources").paginate(
        ResourceTypeFilters=["lambda:function"],
        TagFilters=[{"Key": "bluegreen:managed", "Values": ["true"]}],
    )
    found = {
        item["ResourceARN"].split(":")[-1]: {t["Key"]: t["Value"] for t in item["Tags"]}
        for page in pages
        for item in page["ResourceTagMappingList"]
    }
    assert sorted(found) == sorted(FUNCTIONS)
    tags = found["payments-api"]
    api = stack.apigateway.get_rest_api(restApiId=tags["bluegreen:api-id"])
    assert tags == {
        "bluegreen:managed": "true",
        "bluegreen:service": "Payments API",
        "bluegreen:api-id": api["id"],
        "bluegreen:api-name": api["name"],
        "bluegreen:prod-stage": "prod",
        "bluegreen:test-stage": "test",
        "bluegreen:alarm-prefix": "payments-api-",
        "bluegreen:audit-log-group": "/bgtui/audit/payments-api",
        "bluegreen:environment": "demo",
        "bluegreen:smoke-path": "/",
    }


def test_payments_has_blue_live_and_a_newer_healthy_green(stack: EmulatorClients) -> None:
    aliases = _aliases(stack, "payments-api")
    assert {n: a["FunctionVersion"] for n, a in aliases.items()} == {
        "blue": "1",
        "green": "2",
        "live": "1",
    }
    assert json.loads(aliases["live"]["Description"]) == {"live": "blue", "schema": "bgtui/live-v1"}
    assert len({a["RevisionId"] for a in aliases.values()}) == 3


def test_ledger_writer_holds_a_broken_candidate_on_green(stack: EmulatorClients) -> None:
    aliases = _aliases(stack, "ledger-writer")
    assert (aliases["blue"]["FunctionVersion"], aliases["green"]["FunctionVersion"]) == ("2", "3")
    answer = stack.lambda_.invoke(FunctionName="ledger-writer", Qualifier="green", Payload=b"{}")
    assert answer["FunctionError"] == "Unhandled"
    live = stack.lambda_.invoke(FunctionName="ledger-writer", Qualifier="live", Payload=b"{}")
    assert "FunctionError" not in live and live["ExecutedVersion"] == "2"


def test_fx_rates_was_swapped_to_green_with_the_previous_recorded(stack: EmulatorClients) -> None:
    aliases = _aliases(stack, "fx-rates")
    record = LiveRecord.from_description(aliases["live"]["Description"])
    assert record is not None and record.colour is Colour.GREEN
    assert record.previous == PreviousLive(Colour.BLUE, aliases["blue"]["FunctionVersion"])
    assert aliases["live"]["FunctionVersion"] == aliases["green"]["FunctionVersion"] == "3"


@pytest.mark.parametrize(("function", "idle"), [("payments-api", "green"), ("fx-rates", "blue")])
def test_prod_routes_to_live_and_test_to_the_idle_colour(
    stack: EmulatorClients, function: str, idle: str
) -> None:
    api_id = _api_id(stack, function)
    stages = {s["stageName"]: s for s in stack.apigateway.get_stages(restApiId=api_id)["item"]}
    assert stages["prod"]["variables"] == {"lambdaAlias": "live"}
    assert stages["test"]["variables"] == {"lambdaAlias": idle}


def test_the_api_proxies_every_path_to_the_stage_alias(stack: EmulatorClients) -> None:
    api_id = _api_id(stack, "payments-api")
    resources = stack.apigateway.get_resources(restApiId=api_id)["items"]
    assert sorted(r["path"] for r in resources) == ["/", "/{proxy+}"]
    integration = stack.apigateway.get_integration(
        restApiId=api_id, resourceId=resources[0]["id"], httpMethod="ANY"
    )
    assert integration["type"] == "AWS_PROXY"
    assert integration["uri"].endswith(
        "function:payments-api:${stageVariables.lambdaAlias}/invocations"
    )


def test_six_alarms_per_service_on_the_agreed_dimensions(stack: EmulatorClients) -> None:
    alarms = stack.cloudwatch.describe_alarms(AlarmNamePrefix="ledger-writer-")["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in alarms) == sorted(
        f"ledger-writer-{scope}-{kind}"
        for scope in ("blue", "green", "live")
        for kind in ("errors", "p99")
    )
    p99 = next(a for a in alarms if a["AlarmName"] == "ledger-writer-green-p99")
    assert p99["ExtendedStatistic"] == "p99" and p99["Threshold"] == 1000
    assert p99["Dimensions"] == [
        {"Name": "FunctionName", "Value": "ledger-writer"},
        {"Name": "Resource", "Value": "ledger-writer:green"},
    ]
    errors = next(a for a in alarms if a["AlarmName"] == "ledger-writer-live-errors")
    assert (errors["MetricName"], errors["Statistic"], errors["Period"]) == ("Errors", "Sum", 60)


def test_each_service_has_its_audit_log_group(stack: EmulatorClients) -> None:
    groups = stack.logs.describe_log_groups(logGroupNamePrefix="/bgtui/audit/")["logGroups"]
    assert sorted(g["logGroupName"] for g in groups) == sorted(
        f"/bgtui/audit/{f}" for f in FUNCTIONS
    )


def test_functions_run_under_a_role_with_basic_execution(stack: EmulatorClients) -> None:
    role = stack.lambda_.get_function(FunctionName="payments-api")["Configuration"]["Role"]
    name = role.split("/")[-1]
    attached = stack.iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AWSLambdaBasicExecutionRole"]


def test_the_demo_list_matches_what_is_provisioned() -> None:
    assert [s.function for s in DEMO_SERVICES] == FUNCTIONS


def _api_id(clients: EmulatorClients, function: str) -> str:
    tags = clients.lambda_.list_tags(
        Resource=clients.lambda_.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    )["Tags"]
    return tags["bluegreen:api-id"]


def test_many_versions_are_published_in_order(clean_emulator: str) -> None:
    service = provision_service(clean_emulator, "bulk", versions=12, broken_candidate=True)
    assert service.versions == tuple(str(v) for v in range(1, 14))
    assert (service.blue, service.green, service.live) == ("12", "13", "12")
    listed = EmulatorClients(clean_emulator).lambda_.list_versions_by_function(FunctionName="bulk")
    shas = [v["CodeSha256"] for v in listed["Versions"] if v["Version"] != "$LATEST"]
    assert len(set(shas)) == 13


def test_a_single_version_puts_both_colours_on_it(clean_emulator: str) -> None:
    service = provision_service(clean_emulator, "solo", versions=1)
    assert (service.blue, service.green, service.live) == ("1", "1", "1")


@pytest.mark.parametrize(
    "arguments",
    [{"versions": 0}, {"versions": 2, "broken_candidate": True, "live_colour": Colour.GREEN}],
)
def test_impossible_layouts_are_bad_input(clean_emulator: str, arguments: dict[str, Any]) -> None:
    with pytest.raises(BadInput):
        provision_service(clean_emulator, "nope", **arguments)
