"""The emulator example applied by real terraform (the demo stack through Terraform), checked
with boto3 against the boto3 provisioning path, then swapped by hand and re-planned.

One apply per module: terraform with the AWS provider takes tens of seconds on a small host.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bgtui.adapters.terraform.mirror import CliConfig
from bgtui.adapters.terraform.output import CALLER_IDENTITY, plan_accounts
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.core.models import Colour, LiveRecord, PreviousLive
from bgtui.core.plan import ApplyAccounts, PlanAccounts, PlanEvent, PlanSummary
from bgtui.demo.code import demo_package
from bgtui.demo.stack import DEMO_SERVICES, provision_demo
from bgtui.demo.tf_stack import PLAN_FILE, provision_demo_with_terraform
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import DEFAULT_REGION, Emulator

pytestmark = pytest.mark.terraform

FUNCTIONS = tuple(spec.function for spec in DEMO_SERVICES)
RESOURCES_PER_SERVICE = 29
DEFAULT_ACCOUNT = "123456789012"
"""moto's account: the one every caller of the emulator belongs to."""
INITIAL_LIVE = '{"live":"blue","schema":"bgtui/live-v1"}'


@dataclass
class DemoByTerraform:
    """The demo stack provisioned through terraform, and what was seen on the way."""

    endpoint: str
    root: Path
    cli_config: CliConfig
    terraform: str
    functions: list[str] = field(default_factory=list)
    events: list[tuple[str, float, PlanEvent]] = field(default_factory=list)
    just_applied: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_boto3: dict[str, dict[str, Any]] = field(default_factory=dict)

    def clients(self) -> EmulatorClients:
        return EmulatorClients(self.endpoint, DEFAULT_REGION)

    def summary(self, step: str) -> PlanSummary:
        found = [e for s, _, e in self.events if s == step and isinstance(e, PlanSummary)]
        assert len(found) == 1, f"expected one {step} summary"
        return found[0]


@pytest.fixture(scope="module")
def demo(
    emulator: Emulator,
    cli_config: CliConfig,
    terraform_binary: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DemoByTerraform]:
    emulator.reset()
    provision_demo(emulator.url, DEFAULT_REGION)
    by_boto3 = stack_view(EmulatorClients(emulator.url), FUNCTIONS)
    emulator.reset()
    left = EmulatorClients(emulator.url).lambda_.list_functions()["Functions"]
    assert not left, "the emulator kept functions across a reset; terraform would find them"
    workdir = tmp_path_factory.mktemp("demo-by-terraform")
    root = workdir / "terraform" / "examples" / "emulator"
    stack = DemoByTerraform(emulator.url, root, cli_config, terraform_binary, by_boto3=by_boto3)
    started = time.monotonic()

    def seen(step: str, event: PlanEvent) -> None:
        stack.events.append((step, time.monotonic() - started, event))
        if step == "apply" and isinstance(event, PlanSummary):
            stack.just_applied = stack_view(stack.clients(), FUNCTIONS)

    stack.functions = provision_demo_with_terraform(
        emulator.url, DEFAULT_REGION, workdir, cli_config=cli_config, on_event=seen
    )
    yield stack


def test_terraform_planned_and_applied_every_resource(demo: DemoByTerraform) -> None:
    expected = RESOURCES_PER_SERVICE * len(FUNCTIONS)
    assert demo.functions == list(FUNCTIONS)
    assert demo.summary("plan") == PlanSummary(expected, 0, 0, plan_file="demo.tfplan")
    assert demo.summary("apply") == PlanSummary(expected, 0, 0, operation="apply")


def test_the_saved_plan_names_the_account_terraform_ran_as(
    demo: DemoByTerraform, tmp_path: Path
) -> None:
    """Read from terraform's own `show -json` of the plan the demo applied: the caller identity
    the module's `data.aws_caller_identity` read is the emulator's account, as bgtui's is."""
    runner = TerraformRunner(demo.root, demo.cli_config, binary=demo.terraform)
    document = asyncio.run(runner.plan_document(PLAN_FILE))
    found = plan_accounts(document)
    assert found == PlanAccounts((DEFAULT_ACCOUNT,), CALLER_IDENTITY)
    settings = Settings(
        endpoint_url=demo.endpoint, region=DEFAULT_REGION, audit_path=tmp_path / "audit.jsonl"
    )
    caller = build_backend(settings)
    assert ApplyAccounts(found, caller.operations.identity.whoami()).refusal == ""


def test_plan_lines_arrive_while_terraform_works(demo: DemoByTerraform) -> None:
    started = max(at for step, at, _ in demo.events if step == "init")
    plan = [(at - started, event) for step, at, event in demo.events if step == "plan"]
    first, last = plan[0][0], plan[-1][0]
    assert isinstance(plan[-1][1], PlanSummary)
    assert last - first > 2.0, "a plan with the AWS provider takes seconds"
    assert first < last / 4, f"the first line came {first:.1f} s into a {last:.1f} s plan"


def test_terraform_creates_every_alias_on_version_1_with_blue_live(demo: DemoByTerraform) -> None:
    for function, seen in demo.just_applied.items():
        assert seen["aliases"] == {"blue": "1", "green": "1", "live": "1"}, function
        assert seen["live_record"] == INITIAL_LIVE
        assert seen["stages"] == {"prod": "live", "test": "green"}
        assert [v for v, _ in seen["versions"]] == ["1"]


def test_terraform_path_builds_the_same_stack_as_boto3(demo: DemoByTerraform) -> None:
    by_terraform = stack_view(demo.clients(), FUNCTIONS)
    for function in FUNCTIONS:
        assert by_terraform[function] == demo.by_boto3[function], function


def test_the_tags_follow_the_conventions(demo: DemoByTerraform) -> None:
    seen = stack_view(demo.clients(), ("payments-api",))["payments-api"]
    assert seen["tags"] == {
        "bluegreen:managed": "true",
        "bluegreen:service": "Payments API",
        "bluegreen:api-name": "payments-api-api",
        "bluegreen:prod-stage": "prod",
        "bluegreen:test-stage": "test",
        "bluegreen:alarm-prefix": "payments-api-",
        "bluegreen:audit-log-group": "/bgtui/audit/payments-api",
        "bluegreen:environment": "demo",
        "bluegreen:smoke-path": "/",
    }
    assert seen["api"] == "payments-api-api" and seen["audit_log_group"]
    assert seen["alarms"]["payments-api-live-p99"] == {
        "FunctionName": "payments-api",
        "Resource": "payments-api:live",
    }


def test_bgtui_reads_each_service_as_a_clean_pair(demo: DemoByTerraform, tmp_path: Path) -> None:
    settings = Settings(
        endpoint_url=demo.endpoint, region=DEFAULT_REGION, audit_path=tmp_path / "audit.jsonl"
    )
    catalog = build_backend(settings).catalog
    live = {}
    for function in FUNCTIONS:
        state = catalog.read(catalog.find(function))
        assert state.problems == (), function
        assert len(state.alarms) == 6
        live[function] = state.live_colour
    assert live == {spec.function: spec.live_colour for spec in DEMO_SERVICES}


def test_swaps_by_hand_leave_terraform_with_nothing_to_do(demo: DemoByTerraform) -> None:
    clients, function = demo.clients(), "payments-api"
    lam = clients.lambda_
    lam.update_function_code(FunctionName=function, ZipFile=demo_package(function, 3))
    version = lam.publish_version(FunctionName=function)["Version"]
    lam.update_alias(FunctionName=function, Name="green", FunctionVersion=version)
    record = LiveRecord(Colour.GREEN, PreviousLive(Colour.BLUE, "1"), "2026-11-28T03:00:00Z")
    lam.update_alias(
        FunctionName=function,
        Name="live",
        FunctionVersion=version,
        Description=record.to_description(),
    )
    clients.apigateway.update_stage(
        restApiId=_api_id(clients, f"{function}-api"),
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": "blue"}],
    )
    plan = subprocess.run(
        [demo.terraform, "plan", "-detailed-exitcode", "-input=false", "-no-color"],
        cwd=demo.root,
        env={**os.environ, **demo.cli_config.env()},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert plan.returncode == 0, plan.stdout[-3000:] + plan.stderr[-3000:]
    assert "No changes." in plan.stdout


def stack_view(clients: EmulatorClients, functions: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """What bgtui relies on, per service, with generated ids replaced by the names they point to."""
    apis = {a["id"]: a["name"] for a in clients.apigateway.get_rest_apis()["items"]}
    return {function: _service_view(clients, function, apis) for function in functions}


def _service_view(clients: EmulatorClients, function: str, apis: dict[str, str]) -> dict[str, Any]:
    lam, api_gw = clients.lambda_, clients.apigateway
    arn = lam.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    tags = {k: v for k, v in lam.list_tags(Resource=arn)["Tags"].items() if "bluegreen:" in k}
    api_id = tags.pop("bluegreen:api-id")
    aliases = lam.list_aliases(FunctionName=function)["Aliases"]
    versions = lam.list_versions_by_function(FunctionName=function)["Versions"]
    resources = api_gw.get_resources(restApiId=api_id)["items"]
    alarms = clients.cloudwatch.describe_alarms(AlarmNamePrefix=f"{function}-")["MetricAlarms"]
    groups = clients.logs.describe_log_groups(logGroupNamePrefix=f"/bgtui/audit/{function}")
    return {
        "tags": tags,
        "api": apis[api_id],
        "aliases": {a["Name"]: a["FunctionVersion"] for a in aliases},
        "live_record": next(a["Description"] for a in aliases if a["Name"] == "live"),
        "versions": [(v["Version"], v["CodeSha256"]) for v in versions if v["Version"].isdigit()],
        "stages": {
            s["stageName"]: s["variables"]["lambdaAlias"]
            for s in api_gw.get_stages(restApiId=api_id)["item"]
        },
        "routes": sorted((r["path"], _integration_uri(api_gw, api_id, r["id"])) for r in resources),
        "alarms": {
            a["AlarmName"]: {d["Name"]: d["Value"] for d in a["Dimensions"]} for a in alarms
        },
        "audit_log_group": [g["logGroupName"] for g in groups["logGroups"]],
    }


def _integration_uri(api_gw: Any, api_id: str, resource_id: str) -> str:
    found = api_gw.get_integration(restApiId=api_id, resourceId=resource_id, httpMethod="ANY")
    return str(found["uri"])


def _api_id(clients: EmulatorClients, name: str) -> str:
    apis = clients.apigateway.get_rest_apis()["items"]
    return next(str(api["id"]) for api in apis if api["name"] == name)
