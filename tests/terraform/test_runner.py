"""The runner over a scripted terraform: streaming, summaries, errors, locks, confirmation, stop."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import aclosing
from pathlib import Path

import pytest

from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.core.errors import BadInput, Refused, TerraformError
from bgtui.core.plan import PlanLevel, PlanLine, PlanSummary, StateLocked, Workspaces
from tests.terraform.conftest import (
    FakeTerraform,
    drain,
    gone_soon,
    group_members,
    process_alive,
)


def message(text: str, kind: str = "log", level: str = "info", **extra: object) -> str:
    return json.dumps({"@level": level, "@message": text, "type": kind, **extra})


SUMMARY = message(
    "Plan: 1 to add, 2 to change, 0 to destroy.",
    "change_summary",
    changes={"add": 1, "change": 2, "import": 0, "remove": 0, "operation": "plan"},
)
LOCKED = message(
    "Error: Error acquiring the state lock",
    "diagnostic",
    "error",
    diagnostic={
        "severity": "error",
        "summary": "Error acquiring the state lock",
        "detail": (
            "Error message: resource temporarily unavailable\nLock Info:\n"
            "  ID:        7d1c4f7e-0000-4b9b-9a57-111111111111\n  Path:      terraform.tfstate\n"
            "  Operation: OperationTypeApply\n  Who:       alice@bastion-1\n"
            "  Version:   1.11.4\n  Created:   2026-11-28 02:59:01.5 +0000 UTC\n  Info:      \n"
        ),
    },
)


async def test_plan_yields_each_message_then_the_summary(fake_terraform: FakeTerraform) -> None:
    runner = fake_terraform.runner(
        {"steps": [{"print": message("Terraform 1.11.4", "version")}, {"print": SUMMARY}]}
    )
    events = await drain(runner.plan(out="next.tfplan"))
    assert events == [
        PlanLine("Terraform 1.11.4"),
        PlanLine("Plan: 1 to add, 2 to change, 0 to destroy."),
        PlanSummary(1, 2, 0, plan_file="next.tfplan"),
    ]
    argv = fake_terraform.record["argv"]
    assert argv[:4] == ["plan", "-json", "-input=false", "-lock-timeout=0s"]
    assert "-out=next.tfplan" in argv


async def test_first_line_arrives_while_terraform_still_runs(
    fake_terraform: FakeTerraform,
) -> None:
    steps = [{"print": message("Refreshing state...")}, {"sleep": 1.5}, {"print": SUMMARY}]
    runner = fake_terraform.runner({"steps": steps})
    started = time.monotonic()
    arrivals = []
    async with aclosing(runner.plan()) as stream:
        async for _ in stream:
            arrivals.append(time.monotonic() - started)
    assert arrivals[0] < arrivals[-1] - 1.0


async def test_environment_config_and_closed_stdin(fake_terraform: FakeTerraform) -> None:
    await drain(fake_terraform.runner({"steps": [{"print": SUMMARY}]}).plan(workspace="staging"))
    record = fake_terraform.record
    assert record["env"] == {
        "TF_CLI_CONFIG_FILE": str(fake_terraform.root / "cli.tfrc"),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "TF_WORKSPACE": "staging",
        "EXTRA": "from-caller",
    }
    assert record["stdin_is_devnull"] is True


async def test_variables_are_passed_on_the_command_line(fake_terraform: FakeTerraform) -> None:
    runner = fake_terraform.runner({"steps": [{"print": SUMMARY}]})
    await drain(runner.plan(var={"endpoint": "http://127.0.0.1:5000", "note": "a b"}))
    argv = fake_terraform.record["argv"]
    assert "-var=endpoint=http://127.0.0.1:5000" in argv and "-var=note=a b" in argv
    assert not any(arg.startswith("-var-file") for arg in argv)


async def test_the_runners_root_variables_come_first(fake_terraform: FakeTerraform) -> None:
    runner = fake_terraform.runner({"steps": [{"print": SUMMARY}]})
    runner.variables = {"endpoint": "http://127.0.0.1:5000", "region": "eu-west-1"}
    await drain(runner.plan(var={"region": "us-east-1"}))
    argv = fake_terraform.record["argv"]
    assert "-var=endpoint=http://127.0.0.1:5000" in argv and "-var=region=us-east-1" in argv
    assert "-var=region=eu-west-1" not in argv


async def test_a_base_environment_replaces_the_processs_own(
    fake_terraform: FakeTerraform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXTRA", "from-the-shell")
    scenario = fake_terraform.root / "scenario.json"
    scenario.write_text(json.dumps({"steps": [{"print": SUMMARY}]}), encoding="utf-8")
    base = {
        "PATH": "/usr/bin:/bin",
        "FAKE_TF_SCENARIO": str(scenario),
        "FAKE_TF_RECORD": str(fake_terraform.record_path),
    }
    runner = TerraformRunner(
        fake_terraform.root, None, binary=str(fake_terraform.binary), base_env=base
    )
    await drain(runner.plan())
    assert fake_terraform.record["env"] == {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
    assert runner.environment == {**base, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}


async def test_the_saved_plan_document_is_read_past_warnings(fake_terraform: FakeTerraform) -> None:
    document = {"format_version": "1.2", "prior_state": {"values": {"root_module": {}}}}
    steps = [{"print": "Warning: Unable to open CLI configuration file"}]
    runner = fake_terraform.runner({"steps": [*steps, {"print": json.dumps(document)}]})
    assert await runner.plan_document("next.tfplan") == document
    assert fake_terraform.record["argv"] == ["show", "-json", "-no-color", "next.tfplan"]
    silent = fake_terraform.runner({"steps": [{"print": "{not json"}]})
    with pytest.raises(TerraformError, match="no plan document"):
        await silent.plan_document("next.tfplan")


def test_bad_variable_and_workspace_names_are_refused(fake_terraform: FakeTerraform) -> None:
    runner = fake_terraform.runner({})
    with pytest.raises(BadInput, match="variable name"):
        runner.plan(var={"no spaces": "x"})
    with pytest.raises(BadInput, match="workspace name"):
        runner.plan(workspace="../prod")
    assert not fake_terraform.record_path.exists()


async def test_a_very_long_line_is_not_cut(fake_terraform: FakeTerraform) -> None:
    long_text = "x" * (1024 * 1024)
    runner = fake_terraform.runner({"steps": [{"print": message(long_text)}, {"print": SUMMARY}]})
    events = await drain(runner.plan())
    assert events[0] == PlanLine(long_text)


async def test_diagnostics_are_error_lines_and_fail_the_run(fake_terraform: FakeTerraform) -> None:
    broken = message(
        "Error: Invalid reference",
        "diagnostic",
        "error",
        diagnostic={
            "severity": "error",
            "summary": "Invalid reference",
            "detail": "A reference to a resource type must be followed by a name.",
            "range": {"filename": "main.tf", "start": {"line": 7}},
        },
    )
    runner = fake_terraform.runner({"steps": [{"print": broken}], "exit": 1})
    seen: list[object] = []
    with pytest.raises(TerraformError, match="terraform plan failed: Invalid reference"):
        async with aclosing(runner.plan()) as stream:
            async for event in stream:
                seen.append(event)
    assert seen == [
        PlanLine("Error: Invalid reference", PlanLevel.ERROR),
        PlanLine("  on main.tf line 7", PlanLevel.ERROR),
        PlanLine("  A reference to a resource type must be followed by a name.", PlanLevel.ERROR),
    ]


async def test_a_held_lock_is_reported_with_its_holder(fake_terraform: FakeTerraform) -> None:
    runner = fake_terraform.runner({"steps": [{"print": LOCKED}], "exit": 1})
    with pytest.raises(StateLocked) as raised:
        await drain(runner.plan())
    assert raised.value.holder == "alice@bastion-1"
    assert raised.value.id == "7d1c4f7e-0000-4b9b-9a57-111111111111"
    assert raised.value.created == "2026-11-28 02:59:01.5 +0000 UTC"
    assert raised.value.lock.operation == "OperationTypeApply"
    assert isinstance(raised.value, TerraformError)
    assert "alice@bastion-1" in str(raised.value)


async def test_success_without_summary_is_an_error(fake_terraform: FakeTerraform) -> None:
    runner = fake_terraform.runner({"steps": [{"print": message("odd")}]})
    with pytest.raises(TerraformError, match="without a change summary"):
        await drain(runner.plan())


def test_apply_without_confirmation_never_starts_terraform(fake_terraform: FakeTerraform) -> None:
    (fake_terraform.root / "reviewed.tfplan").write_bytes(b"plan")
    runner = fake_terraform.runner({})
    with pytest.raises(Refused):
        runner.apply("reviewed.tfplan")
    assert not fake_terraform.record_path.exists()


async def test_confirmed_apply_applies_the_saved_plan_only(fake_terraform: FakeTerraform) -> None:
    (fake_terraform.root / "reviewed.tfplan").write_bytes(b"plan")
    done = message(
        "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.",
        "change_summary",
        changes={"add": 1, "change": 0, "import": 0, "remove": 0, "operation": "apply"},
    )
    runner = fake_terraform.runner({"steps": [{"print": done}]})
    events = await drain(runner.apply("reviewed.tfplan", confirmed=True))
    assert events[-1] == PlanSummary(1, 0, 0, operation="apply")
    argv = fake_terraform.record["argv"]
    assert argv == ["apply", "-json", "-input=false", "reviewed.tfplan"]


def test_apply_of_a_missing_plan_file_is_bad_input(fake_terraform: FakeTerraform) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        fake_terraform.runner({}).apply("absent.tfplan", confirmed=True)


async def test_workspaces_lists_names_and_the_current_one(fake_terraform: FakeTerraform) -> None:
    listing = [{"print": "  default"}, {"print": "* production"}, {"print": "  staging"}]
    runner = fake_terraform.runner({"steps": listing})
    assert await runner.workspaces() == Workspaces(
        ("default", "production", "staging"), "production"
    )
    assert fake_terraform.record["argv"] == ["workspace", "list"]


async def test_select_workspace_reports_terraform_refusal(fake_terraform: FakeTerraform) -> None:
    refusal = [{"print": 'Workspace "qa" doesn\'t exist.'}, {"print": ""}]
    runner = fake_terraform.runner({"steps": refusal, "exit": 1})
    with pytest.raises(TerraformError, match="doesn't exist"):
        await runner.select_workspace("qa")
    assert fake_terraform.record["argv"] == ["workspace", "select", "qa"]


async def test_missing_binary_and_directory_are_clear_errors(tmp_path: Path) -> None:
    from bgtui.adapters.terraform.process import TerraformRunner

    with pytest.raises(TerraformError, match="terraform not found"):
        await drain(TerraformRunner(tmp_path, None, binary=str(tmp_path / "nope")).plan())
    with pytest.raises(BadInput, match="does not exist"):
        await drain(TerraformRunner(tmp_path / "absent", None).plan())


async def test_cancelling_the_consumer_interrupts_terraform(fake_terraform: FakeTerraform) -> None:
    lock = fake_terraform.root / ".terraform.tfstate.lock.info"
    steps = [{"print": message("Refreshing state...")}, {"sleep": 60}]
    runner = fake_terraform.runner({"steps": steps, "lock_file": str(lock), "child": True})
    first = asyncio.Event()

    async def consume() -> None:
        async for _ in runner.plan():
            first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), 10)
    pid = fake_terraform.record["pid"]
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 3
    assert not lock.exists(), "terraform was not given the chance to release its lock"
    assert not process_alive(pid)
    assert gone_soon(fake_terraform.record["child"])
    assert group_members(pid) == []


async def test_terraform_deaf_to_sigint_is_killed_with_its_group(
    fake_terraform: FakeTerraform,
) -> None:
    steps = [{"print": message("Refreshing state...")}, {"sleep": 60}]
    runner = fake_terraform.runner(
        {"steps": steps, "ignore_sigint": True, "child": True}, stop_timeout=0.5
    )
    async with aclosing(runner.plan()) as stream:
        async for _ in stream:
            break
    record = fake_terraform.record
    assert not process_alive(record["pid"])
    assert gone_soon(record["child"])
    assert group_members(record["pid"]) == []


async def test_a_boxed_plain_error_gives_the_reason(fake_terraform: FakeTerraform) -> None:
    boxed = [{"print": "╷"}, {"print": "│ Error: Backend initialization required"}, {"print": "╵"}]
    runner = fake_terraform.runner({"steps": boxed, "exit": 1})
    with pytest.raises(TerraformError, match=r"init failed: Backend initialization required$"):
        await drain(runner.init())


async def test_without_an_error_line_the_first_words_explain_the_failure(
    fake_terraform: FakeTerraform,
) -> None:
    steps = [{"print": message("Terraform 1.11.4", "version")}, {"print": "Killed by the OOM"}]
    runner = fake_terraform.runner({"steps": steps, "exit": 137})
    with pytest.raises(TerraformError, match="plan failed: Killed by the OOM"):
        await drain(runner.plan())
    with pytest.raises(TerraformError, match="plan failed: exit status 3"):
        await drain(fake_terraform.runner({"exit": 3}).plan())
