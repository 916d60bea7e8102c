"""`bgtui plan` and the console's Terraform view hand terraform one and the same environment."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bgtui.cli.main import build_parser, main
from bgtui.cli.options import settings_from
from bgtui.ui.app import BgtuiApp
from tests.ui.fake_backend import NOW, demo_aws, fake_backend
from tests.ui.helpers import settle

RECORDER = Path(__file__).with_name("recording_terraform.py")
OPERATOR = [
    "--profile",
    "sandbox-oncall",
    "--region",
    "eu-central-1",
    "--endpoint-url",
    "http://127.0.0.1:4599",
]
ROOT_VARIABLES = (
    'variable "endpoint" {\n  type = string\n}\n\nvariable "region" {\n  type = string\n}\n'
)


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A terraform on PATH that records every run into the returned directory."""
    records, tools = tmp_path / "records", tmp_path / "bin"
    records.mkdir()
    tools.mkdir()
    binary = tools / "terraform"
    binary.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{RECORDER}" "$@"\n', encoding="utf-8")
    binary.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:/usr/bin:/bin")
    monkeypatch.setenv("RECORD_TERRAFORM_DIR", str(records))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("BGTUI_TF_PROVIDER_MIRROR", "")
    monkeypatch.delenv("BGTUI_CONFIG", raising=False)
    return records


def runs(records: Path, subcommand: str) -> list[dict[str, Any]]:
    found = sorted(records.glob(f"*-{subcommand}.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in found]


def clear(records: Path) -> None:
    for path in records.iterdir():
        path.unlink()


async def plan_in_console(root: Path) -> None:
    settings = replace(settings_from(build_parser().parse_args(OPERATOR)), terraform_dir=str(root))
    backend = fake_backend(demo_aws(), root.parent)
    backend.settings = replace(settings, audit_path=backend.settings.audit_path)
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)


def without_plan_file(argv: list[str]) -> list[str]:
    return [arg for arg in argv if not arg.startswith("-out=")]


def test_console_and_cli_hand_terraform_the_same_environment(
    recorded: Path, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "variables.tf").write_text(ROOT_VARIABLES, encoding="utf-8")

    assert main([*OPERATOR, "plan", "--dir", str(root)]) == 0
    (cli_plan,) = runs(recorded, "plan")
    clear(recorded)
    asyncio.run(plan_in_console(root))
    (console_plan,) = runs(recorded, "plan")

    assert console_plan["env"] == cli_plan["env"]
    assert without_plan_file(console_plan["argv"]) == cli_plan["argv"]
    assert console_plan["cwd"] == cli_plan["cwd"] == str(root)
    env = cli_plan["env"]
    assert env["AWS_PROFILE"] == "sandbox-oncall"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-central-1"
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4599"
    assert "AWS_ACCESS_KEY_ID" not in env, "the shell's keys would outrank the named profile"
    assert env["TF_IN_AUTOMATION"] == "1"
    assert Path(env["TF_CLI_CONFIG_FILE"]).is_file()
    assert "-var=endpoint=http://127.0.0.1:4599" in cli_plan["argv"]
    assert "-var=region=eu-central-1" in cli_plan["argv"]
