"""The acceptance run (`make aws-check`), end to end against a standalone emulator, and its
refusals: the same script an operator runs on a sandbox account, so it cannot rot unnoticed."""

from __future__ import annotations

import importlib.util
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from bgtui.emulator.clients import EmulatorClients
from tests.terraform.conftest import REPO, real_terraform

TOOL = REPO / "tools" / "aws_check.py"
PREFIX = "bgtui-check-test"
FUNCTION = f"{PREFIX}-check"
STEPS = (
    "It creates, under the prefix bgtui-check-test",
    "terraform init",
    "plan ran against account 123456789012 (from data.aws_caller_identity)",
    "terraform apply",
    f"bgtui deploy {FUNCTION}",
    f"bgtui test {FUNCTION} --json",
    f"bgtui promote {FUNCTION}",
    "  live: green v2",
    f"bgtui rollback {FUNCTION}",
    "  live: blue v1",
    "terraform plan after the release (-detailed-exitcode)",
    "No changes. Your infrastructure matches the configuration.",
    "ExecutedVersion listed for the live alias:",
    "terraform plan -destroy",
    "Apply complete: 0 added, 0 changed, 29 destroyed.",
    f"aws-check: PASSED on {FUNCTION}",
)


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aws_check", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve the module's annotations through sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def standalone_emulator(tmp_path: Path) -> Iterator[str]:
    """`bgtui emulator --empty`: no demo services, traffic for whatever gets created."""
    port, log = free_port(), tmp_path / "emulator.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bgtui", "emulator", "--empty", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "listening on" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "emulator did not start in 60 s"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(20)


def aws_check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=1200,
        env=env,
        check=False,
    )


@pytest.mark.terraform
def test_the_acceptance_run_passes_and_leaves_nothing_behind(
    standalone_emulator: str, tmp_path: Path
) -> None:
    real_terraform()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = aws_check(
        "--endpoint-url", standalone_emulator, "--prefix", PREFIX, "--metrics-wait", "90", env=env
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    out, at = done.stdout, -1
    for expected in STEPS:
        assert out.find(expected, at + 1) > at, f"{expected!r} missing or out of order"
        at = out.find(expected, at + 1)
    assert '"check": "http:http"' in out, "the smoke check asks for the test stage over HTTP"
    assert not list(tmp_path.glob("bgtui-aws-check-*")), "a passed run keeps no files"
    assert leftovers(EmulatorClients(standalone_emulator)) == {}


def leftovers(clients: EmulatorClients) -> dict[str, list[str]]:
    """Whatever the run created that is still there, read through the emulator's own APIs."""
    found = {
        "functions": [f["FunctionName"] for f in clients.lambda_.list_functions()["Functions"]],
        "apis": [a["name"] for a in clients.apigateway.get_rest_apis()["items"]],
        "alarms": [a["AlarmName"] for a in clients.cloudwatch.describe_alarms()["MetricAlarms"]],
        "log groups": [g["logGroupName"] for g in clients.logs.describe_log_groups()["logGroups"]],
        "roles": [r["RoleName"] for r in clients.iam.list_roles()["Roles"]],
        "policies": [p["PolicyName"] for p in clients.iam.list_policies(Scope="Local")["Policies"]],
    }
    return {kind: names for kind, names in found.items() if any(PREFIX in n for n in names)}


def test_without_an_explicit_profile_it_refuses_and_creates_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "AWS_PROFILE": "sandbox", "TMPDIR": str(tmp_path)}
    done = aws_check("--region", "eu-west-1", env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("aws-check: refused: name the sandbox account's profile")
    assert len(done.stderr.splitlines()) == 1 and done.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_on_aws_it_asks_first_and_refuses_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tool = load_tool()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    target = tool.Target("eu-west-1", PREFIX, profile="sandbox")
    with pytest.raises(tool.BadUse, match="no terminal to confirm on"):
        tool.confirm(target, assume_yes=False)
    tool.confirm(target, assume_yes=True)
    tool.confirm(tool.Target("us-east-1", PREFIX, endpoint_url="http://127.0.0.1:1"), False)


def test_a_region_and_a_usable_prefix_are_required() -> None:
    tool = load_tool()
    with pytest.raises(tool.BadUse, match="--region"):
        tool.target_from(tool.parse_args(["--profile", "sandbox"]))
    with pytest.raises(tool.BadUse, match="--prefix"):
        tool.target_from(tool.parse_args(["--profile", "p", "--region", "r", "--prefix", "Bad!"]))
    chosen = tool.target_from(tool.parse_args(["--profile", "p", "--region", "eu-west-1"]))
    assert chosen.prefix.startswith("bgtui-check-") and chosen.function.endswith("-check")
