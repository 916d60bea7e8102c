"""The runner with the real terraform on small roots: locks, interruption, workspaces, init."""

from __future__ import annotations

import asyncio
import os
import pwd
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bgtui.adapters.terraform.mirror import CliConfig
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.core.errors import TerraformError
from bgtui.core.plan import PlanEvent, PlanLine, PlanSummary, StateLocked, Workspaces
from tests.terraform.conftest import drain, gone_soon, group_members

pytestmark = pytest.mark.terraform

# terraform_data is built into terraform: no provider, so every run takes a moment only.
SLOW_APPLY = """\
resource "terraform_data" "release" {
  input = var.release

  provisioner "local-exec" {
    command = "sleep 120"
  }
}

variable "release" {
  type    = string
  default = "r1"
}
"""
LOCK_INFO = ".terraform.tfstate.lock.info"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(SLOW_APPLY, encoding="utf-8")
    return tmp_path


def runner(root: Path, cli_config: CliConfig, binary: str, **kw: float) -> TerraformRunner:
    return TerraformRunner(root, cli_config, binary=binary, **kw)


async def until(condition: Callable[[], bool], within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


async def test_init_then_plan_reports_terraforms_summary(
    root: Path, cli_config: CliConfig, terraform_binary: str
) -> None:
    tf = runner(root, cli_config, terraform_binary)
    init_lines = await drain(tf.init())
    assert any("initialized" in e.text for e in init_lines if isinstance(e, PlanLine))
    events = await drain(tf.plan(var={"release": "r2"}, out="tfplan"))
    assert events[-1] == PlanSummary(1, 0, 0, plan_file="tfplan")
    assert PlanLine("Plan: 1 to add, 0 to change, 0 to destroy.") in events
    assert (root / "tfplan").is_file()


async def test_an_interrupted_apply_releases_the_lock_others_saw_held(
    root: Path, cli_config: CliConfig, terraform_binary: str, caplog: pytest.LogCaptureFixture
) -> None:
    applier = runner(root, cli_config, terraform_binary, stop_timeout=60)
    await drain(applier.init())
    await drain(applier.plan(out="tfplan"))
    lines: list[str] = []

    async def apply() -> None:
        async for event in applier.apply("tfplan", confirmed=True):
            lines.append(event.text if isinstance(event, PlanLine) else "")

    task = asyncio.create_task(apply())
    await until(lambda: any("Provisioning with 'local-exec'" in line for line in lines))
    assert (root / LOCK_INFO).exists()

    with pytest.raises(StateLocked) as locked:
        await drain(runner(root, cli_config, terraform_binary).plan())
    assert locked.value.holder == f"{pwd.getpwuid(os.getuid()).pw_name}@{socket.gethostname()}"
    assert locked.value.lock.operation == "OperationTypeApply"

    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 30
    assert not (root / LOCK_INFO).exists()
    assert applier.last_pid is not None and gone_soon(applier.last_pid)
    assert group_members(applier.last_pid) == [], "the provisioner's sleep outlived terraform"
    assert not [r.message for r in caplog.records if "ignored SIGINT" in r.message]


async def test_workspaces_are_listed_selected_and_planned(
    root: Path, cli_config: CliConfig, terraform_binary: str
) -> None:
    tf = runner(root, cli_config, terraform_binary)
    await drain(tf.init())
    assert await tf.workspaces() == Workspaces(("default",), "default")
    await tf.select_workspace("staging", create=True)
    assert await tf.workspaces() == Workspaces(("default", "staging"), "staging")
    # Planning another workspace leaves the selected one alone.
    await drain(tf.plan(workspace="default"))
    assert (await tf.workspaces()).current == "staging"


async def test_a_root_with_providers_is_initialised_once(
    tmp_path: Path, cli_config: CliConfig, terraform_binary: str
) -> None:
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n',
        encoding="utf-8",
    )
    tf = runner(tmp_path, cli_config, terraform_binary)
    assert not tf.initialised
    await drain(tf.init())
    assert tf.initialised
    # The provider came from the mirror, linked in place rather than copied.
    providers = tmp_path / ".terraform" / "providers" / "registry.terraform.io"
    installed = list(providers.glob("hashicorp/aws/*/*"))
    assert len(installed) == 1 and cli_config.mirror is not None
    assert installed[0].resolve().is_relative_to(cli_config.mirror.resolve())


def provider_root(root: Path, endpoint: str) -> Path:
    """A root whose plan starts the AWS provider and reads from the emulator."""
    (root / "main.tf").write_text(PROVIDER_ROOT.replace("ENDPOINT", endpoint), encoding="utf-8")
    return root


PROVIDER_ROOT = """\
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {
    sts = "ENDPOINT"
  }
}

data "aws_caller_identity" "current" {}

output "account" {
  value = data.aws_caller_identity.current.account_id
}
"""


async def test_an_interrupted_plan_stops_its_provider_and_releases_the_lock(
    tmp_path: Path,
    cli_config: CliConfig,
    terraform_binary: str,
    emulator_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    root = provider_root(tmp_path, emulator_url)
    holder = runner(root, cli_config, terraform_binary, stop_timeout=120)
    await drain(holder.init())
    lines: list[PlanEvent] = []

    async def plan() -> None:
        async for event in holder.plan():
            lines.append(event)

    task = asyncio.create_task(plan())
    await until(lambda: (root / LOCK_INFO).exists() and bool(lines), within=60)
    with pytest.raises(StateLocked) as locked:
        await drain(runner(root, cli_config, terraform_binary).plan())
    assert locked.value.lock.operation == "OperationTypePlan"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not (root / LOCK_INFO).exists(), "the interrupted plan kept its state lock"
    assert holder.last_pid is not None and gone_soon(holder.last_pid)
    assert group_members(holder.last_pid) == [], "the AWS provider outlived terraform"
    # Released by terraform's own graceful stop on SIGINT, not by escalating to SIGTERM.
    assert not [r.message for r in caplog.records if "ignored SIGINT" in r.message]


async def test_a_provider_missing_from_the_mirror_fails_init_clearly(
    tmp_path: Path, cli_config: CliConfig, terraform_binary: str
) -> None:
    absent = '    absent = { source = "hashicorp/absent" }\n'
    needs = f"terraform {{\n  required_providers {{\n{absent}  }}\n}}\n"
    (tmp_path / "main.tf").write_text(needs, encoding="utf-8")
    with pytest.raises(TerraformError, match="init failed: Failed to query available provider"):
        await drain(runner(tmp_path, cli_config, terraform_binary).init())
