"""Terraform test fixtures: a scripted stand-in terraform, the real one, its CLI configuration."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bgtui.adapters.terraform.mirror import CliConfig, prepare_cli_config
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.core.plan import PlanEvent

REPO = Path(__file__).resolve().parents[2]
FAKE = Path(__file__).with_name("fake_terraform.py")


def real_terraform() -> str:
    """The terraform binary; a skip only off CI, where it must be present."""
    found = shutil.which("terraform")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("terraform is not on PATH, and CI=true requires it")
    pytest.skip("terraform is not on PATH")


@dataclass
class FakeTerraform:
    """A runner over the scripted stand-in, and what the stand-in recorded."""

    root: Path
    binary: Path
    record_path: Path

    def runner(self, scenario: dict[str, Any], stop_timeout: float = 5.0) -> TerraformRunner:
        scenario_path = self.root / "scenario.json"
        scenario_path.write_text(json.dumps(scenario), encoding="utf-8")
        env = {
            "FAKE_TF_SCENARIO": str(scenario_path),
            "FAKE_TF_RECORD": str(self.record_path),
            "EXTRA": "from-caller",
        }
        config = self.root / "cli.tfrc"
        return TerraformRunner(self.root, config, env, str(self.binary), stop_timeout)

    @property
    def record(self) -> dict[str, Any]:
        return json.loads(self.record_path.read_text(encoding="utf-8"))


@pytest.fixture
def fake_terraform(tmp_path: Path) -> FakeTerraform:
    binary = tmp_path / "terraform"
    # exec keeps one pid, as a real terraform binary has.
    binary.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n', encoding="utf-8")
    binary.chmod(0o755)
    return FakeTerraform(tmp_path, binary, tmp_path / "record.json")


@pytest.fixture(scope="session")
def terraform_binary() -> str:
    return real_terraform()


@pytest.fixture(scope="session")
def cli_config(tmp_path_factory: pytest.TempPathFactory, terraform_binary: str) -> CliConfig:
    return prepare_cli_config(base_dir=tmp_path_factory.mktemp("tf-cli"))


async def drain(events: AsyncGenerator[PlanEvent, None]) -> list[PlanEvent]:
    """Every event of a run, closing it on the way out as a consumer must."""
    async with aclosing(events) as stream:
        return [event async for event in stream]


def copy_terraform_tree(destination: Path) -> Path:
    """A copy of the repository's terraform/ tree, so runs never write into the source."""
    ignore = shutil.ignore_patterns(".terraform*", "*.tfstate*")
    shutil.copytree(REPO / "terraform", destination, ignore=ignore)
    return destination


def process_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie waiting to be reaped counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone_soon(pid: int, within: float = 3.0) -> bool:
    """True once `pid` has ended; a kill is delivered asynchronously."""
    deadline = time.monotonic() + within
    while process_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def group_members(pgid: int) -> list[int]:
    """Live processes of the process group `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members
