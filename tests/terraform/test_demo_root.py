"""The demo's Terraform root: real terraform plans and applies the very services the demo made
through the APIs (imported, then completed by the module), with every file in the run's own
directory; a plan after the apply has nothing left to do.

One apply per module: terraform with the AWS provider takes tens of seconds on a small host.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bgtui.adapters.terraform.mirror import CliConfig
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.core.plan import PlanEvent, PlanSummary
from bgtui.demo.process import DemoEmulator
from bgtui.demo.stack import DEMO_SERVICES
from bgtui.demo.tf_adopt import IMPORTS_FILE, prepare_demo_root
from bgtui.emulator.server import DEFAULT_REGION
from tests.terraform.conftest import REPO, drain

pytestmark = pytest.mark.terraform
PLAN_FILE = "demo.tfplan"


def summary(events: list[PlanEvent]) -> str:
    found = [e.text for e in events if isinstance(e, PlanSummary)]
    assert len(found) == 1, events
    return found[0]


def test_the_demo_root_imports_and_applies_the_demos_own_services(
    cli_config: CliConfig, terraform_binary: str, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    # The demo's own emulator process, as `bgtui demo` starts it: no other test's state in it.
    with DemoEmulator(DEFAULT_REGION, "boto3", run_dir) as emulator:
        ready = emulator.wait_ready()
        assert ready.provisioned_by == "boto3"
        adopt_and_apply(ready.url, ready.functions, run_dir, cli_config, terraform_binary)


def adopt_and_apply(
    url: str, functions: list[str], run_dir: Path, cli_config: CliConfig, terraform_binary: str
) -> None:
    root = prepare_demo_root(run_dir, url, DEFAULT_REGION, DEMO_SERVICES)
    assert root.is_relative_to(run_dir)
    imports = (root / IMPORTS_FILE).read_text()
    assert all(f'module.service["{fn}"].aws_lambda_function.this' in imports for fn in functions)
    runner = TerraformRunner(root, cli_config, binary=terraform_binary)
    variables = {"endpoint": url}

    asyncio.run(drain(runner.init()))
    planned = summary(asyncio.run(drain(runner.plan(var=variables, out=PLAN_FILE))))
    assert planned.startswith("Plan: 60 to import"), planned  # 20 resources of each service
    assert "0 to destroy" in planned
    applied = summary(asyncio.run(drain(runner.apply(PLAN_FILE, confirmed=True))))
    assert applied.startswith("Apply complete"), applied
    again = summary(asyncio.run(drain(runner.plan(var=variables))))
    assert "No changes" in again, again

    assert (root / "terraform.tfstate").is_file() and (root / PLAN_FILE).is_file()
    assert not list((REPO / "terraform").rglob("*.tfstate")), "state written in the source tree"
