"""`bgtui demo`'s world: the emulator in its own process with the demo stack and its history,
the Terraform root of the demo's services in the run's directory, and nothing left after it."""

from __future__ import annotations

import time
from pathlib import Path

import boto3

from bgtui.demo import TERRAFORM_ROOT_DELAY_S, demo_world
from bgtui.emulator.tf_adopt import IMPORTS_FILE

REPO = Path(__file__).resolve().parents[2]


def test_the_demo_world_runs_apart_and_leaves_nothing_behind() -> None:
    with demo_world(interval_s=60) as world:
        assert world.provisioned_by == "boto3"
        assert world.functions == ["payments-api", "ledger-writer", "fx-rates"]
        assert world.emulator.history_written.wait(60), "the first minutes never arrived"
        cloudwatch = boto3.client("cloudwatch", endpoint_url=world.endpoint_url)
        listed = cloudwatch.list_metrics(Namespace="AWS/Lambda")["Metrics"]
        assert listed, "the first minutes of traffic are written while the console starts"
        run_dir, root, process = world.run_dir, world.terraform_root, world.emulator.process
        assert run_dir is not None and root is not None and root.is_relative_to(run_dir)
        deadline = time.monotonic() + TERRAFORM_ROOT_DELAY_S + 60
        while not (root / IMPORTS_FILE).is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "payments-api" in (root / IMPORTS_FILE).read_text()
    assert process.poll() == 0, "the emulator's process ended cleanly"
    assert not run_dir.exists()
    assert not list((REPO / "terraform").rglob("imports.tf"))
