"""The emulator example applied by real terraform through the runner, then checked with boto3.

One apply per module (terraform with the AWS provider takes tens of seconds on a small host);
the tests then read the stack, swap by hand and re-plan, and interrupt a plan that holds the lock.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import time
import zipfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bgtui.adapters.terraform_mirror import CliConfig
from bgtui.adapters.terraform_process import TerraformRunner
from bgtui.backend import build_backend
from bgtui.config import Settings
from bgtui.core.models import Colour, LiveRecord, PreviousLive
from bgtui.core.plan import PlanEvent, PlanSummary, StateLocked
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import Emulator
from tests.terraform.conftest import copy_terraform_tree, gone_soon, group_members

pytestmark = pytest.mark.terraform

FUNCTION = "orders-api-tf"
RESOURCE_COUNT = 29
LOCK_INFO = ".terraform.tfstate.lock.info"


@dataclass
class AppliedStack:
    """The emulator example applied once, with what the plan and apply reported."""

    endpoint: str
    root: Path
    runner: TerraformRunner
    cli_config: CliConfig
    plan_events: list[tuple[float, PlanEvent]] = field(default_factory=list)
    apply_summary: PlanSummary | None = None

    @property
    def variables(self) -> dict[str, str]:
        return {"endpoint": self.endpoint, "function_name": FUNCTION}

    @property
    def plan_summary(self) -> PlanSummary:
        last = self.plan_events[-1][1]
        assert isinstance(last, PlanSummary)
        return last

    def clients(self) -> EmulatorClients:
        return EmulatorClients(self.endpoint)


async def drain(events: AsyncIterator[PlanEvent]) -> list[PlanEvent]:
    async with aclosing(events) as stream:
        return [event async for event in stream]


async def create_stack(stack: AppliedStack) -> None:
    await drain(stack.runner.init())
    started = time.monotonic()
    async with aclosing(stack.runner.plan(var=stack.variables, out="tfplan")) as stream:
        async for event in stream:
            stack.plan_events.append((time.monotonic() - started, event))
    applied = await drain(stack.runner.apply("tfplan", confirmed=True))
    assert isinstance(applied[-1], PlanSummary)
    stack.apply_summary = applied[-1]


@pytest.fixture(scope="module")
def stack(
    emulator: Emulator,
    cli_config: CliConfig,
    terraform_binary: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[AppliedStack]:
    emulator.reset()
    tree = copy_terraform_tree(tmp_path_factory.mktemp("stack") / "terraform")
    root = tree / "examples" / "emulator"
    runner = TerraformRunner(root, cli_config, binary=terraform_binary)
    applied = AppliedStack(emulator.url, root, runner, cli_config)
    asyncio.run(create_stack(applied))
    yield applied


def test_plan_and_apply_create_the_whole_service(stack: AppliedStack) -> None:
    assert stack.plan_summary == PlanSummary(RESOURCE_COUNT, 0, 0, plan_file="tfplan")
    assert stack.apply_summary == PlanSummary(RESOURCE_COUNT, 0, 0, operation="apply")


def test_plan_lines_arrive_while_terraform_works(stack: AppliedStack) -> None:
    first, last = stack.plan_events[0][0], stack.plan_events[-1][0]
    assert last - first > 2.0, "the plan should take seconds with the AWS provider"
    assert first < last / 4, f"first line after {first:.1f} s of a {last:.1f} s plan"


def test_the_function_carries_the_discovery_tags(stack: AppliedStack) -> None:
    clients = stack.clients()
    api_id = _api_id(clients)
    found = clients.tagging.get_resources(
        ResourceTypeFilters=["lambda:function"],
        TagFilters=[{"Key": "bluegreen:managed", "Values": ["true"]}],
    )["ResourceTagMappingList"]
    tags = next(
        {t["Key"]: t["Value"] for t in item["Tags"]}
        for item in found
        if item["ResourceARN"].endswith(f":function:{FUNCTION}")
    )
    assert {k: v for k, v in tags.items() if k.startswith("bluegreen:")} == {
        "bluegreen:managed": "true",
        "bluegreen:service": "Orders API",
        "bluegreen:api-id": api_id,
        "bluegreen:api-name": FUNCTION,
        "bluegreen:prod-stage": "prod",
        "bluegreen:test-stage": "test",
        "bluegreen:alarm-prefix": f"{FUNCTION}-",
        "bluegreen:audit-log-group": f"/bgtui/audit/{FUNCTION}",
        "bluegreen:environment": "demo",
    }


def test_aliases_stages_alarms_and_audit_group_exist(stack: AppliedStack) -> None:
    clients = stack.clients()
    aliases = {a["Name"]: a for a in clients.lambda_.list_aliases(FunctionName=FUNCTION)["Aliases"]}
    assert {name: a["FunctionVersion"] for name, a in aliases.items()} == {
        "blue": "1",
        "green": "1",
        "live": "1",
    }
    assert aliases["live"]["Description"] == '{"live":"blue","schema":"bgtui/live-v1"}'
    stages = clients.apigateway.get_stages(restApiId=_api_id(clients))["item"]
    assert {s["stageName"]: s["variables"]["lambdaAlias"] for s in stages} == {
        "prod": "live",
        "test": "green",
    }
    alarms = clients.cloudwatch.describe_alarms(AlarmNamePrefix=f"{FUNCTION}-")["MetricAlarms"]
    dimensions = {a["AlarmName"]: {d["Name"]: d["Value"] for d in a["Dimensions"]} for a in alarms}
    assert dimensions == {
        f"{FUNCTION}-{scope}-{kind}": {
            "FunctionName": FUNCTION,
            "Resource": f"{FUNCTION}:{scope}",
        }
        for scope in ("blue", "green", "live")
        for kind in ("errors", "p99")
    }
    groups = clients.logs.describe_log_groups(logGroupNamePrefix="/bgtui/audit/")["logGroups"]
    assert [(g["logGroupName"], g.get("retentionInDays")) for g in groups] == [
        (f"/bgtui/audit/{FUNCTION}", 400)
    ]


def test_bgtui_reads_the_service_as_a_clean_blue_green_pair(
    stack: AppliedStack, tmp_path: Path
) -> None:
    settings = Settings(
        endpoint_url=stack.endpoint, region="us-east-1", audit_path=tmp_path / "audit.jsonl"
    )
    backend = build_backend(settings)
    state = backend.catalog.read(backend.catalog.find(FUNCTION))
    assert state.problems == ()
    assert state.live_colour is Colour.BLUE
    assert (state.stage_alias("prod"), state.stage_alias("test")) == ("live", "green")
    assert len(state.alarms) == 6


def test_swaps_by_hand_leave_terraform_with_nothing_to_do(stack: AppliedStack) -> None:
    clients = stack.clients()
    lam = clients.lambda_
    lam.update_function_code(FunctionName=FUNCTION, ZipFile=_zip_of("release 2"))
    version = lam.publish_version(FunctionName=FUNCTION)["Version"]
    lam.update_alias(FunctionName=FUNCTION, Name="green", FunctionVersion=version)
    record = LiveRecord(Colour.GREEN, PreviousLive(Colour.BLUE, "1"), "2026-11-28T03:00:00Z")
    lam.update_alias(
        FunctionName=FUNCTION,
        Name="live",
        FunctionVersion=version,
        Description=record.to_description(),
    )
    clients.apigateway.update_stage(
        restApiId=_api_id(clients),
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": "blue"}],
    )
    plan = _terraform(stack, "plan", "-detailed-exitcode", "-input=false", "-no-color")
    assert plan.returncode == 0, plan.stdout[-3000:]
    assert "No changes." in plan.stdout


def test_a_held_lock_is_reported_and_an_interrupted_plan_releases_it(
    stack: AppliedStack, caplog: pytest.LogCaptureFixture
) -> None:
    asyncio.run(_lock_then_interrupt(stack))
    # Released by terraform's graceful stop on SIGINT, not by escalating to SIGTERM.
    assert not [r.message for r in caplog.records if "ignored SIGINT" in r.message]


async def _lock_then_interrupt(stack: AppliedStack) -> None:
    holder = TerraformRunner(
        stack.root, stack.cli_config, binary=stack.runner.binary, stop_timeout=120
    )
    lines: list[PlanEvent] = []

    async def hold_lock() -> None:
        async for event in holder.plan(var=stack.variables):
            lines.append(event)

    task = asyncio.create_task(hold_lock())
    lock_file = stack.root / LOCK_INFO
    await _until(lambda: lock_file.exists() and bool(lines), within=60)
    with pytest.raises(StateLocked) as locked:
        await drain(stack.runner.plan(var=stack.variables))
    assert "@" in locked.value.holder and locked.value.id
    assert locked.value.lock.operation == "OperationTypePlan"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not lock_file.exists(), "the interrupted plan did not release its state lock"
    assert holder.last_pid is not None and gone_soon(holder.last_pid)
    assert group_members(holder.last_pid) == []


async def _until(condition: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


def _api_id(clients: EmulatorClients) -> str:
    apis = clients.apigateway.get_rest_apis()["items"]
    return next(str(api["id"]) for api in apis if api["name"] == FUNCTION)


def _terraform(stack: AppliedStack, *args: str) -> subprocess.CompletedProcess[str]:
    """Terraform run directly, for its exit code, with the same CLI configuration."""
    variables = [f"-var={name}={value}" for name, value in stack.variables.items()]
    return subprocess.run(
        [stack.runner.binary, *args, *variables],
        cwd=stack.root,
        env={**os.environ, **stack.cli_config.env()},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _zip_of(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", f"def handler(event, context):\n    return {text!r}\n")
    return buffer.getvalue()
