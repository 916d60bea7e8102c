"""`bgtui demo`: the console on the embedded emulator, provisioned, with synthetic traffic."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from bgtui.config import Settings, load_settings, state_home
from bgtui.emulator.clients import FAKE_KEY
from bgtui.errors import BadInput, BgtuiError
from bgtui.plain_text import printable

DEMO_REGION = "us-east-1"
SCENARIO_SPEED = 20.0
TRAFFIC_INTERVAL_S = 5.0
DEMO_ENV = {
    "AWS_ACCESS_KEY_ID": FAKE_KEY,
    "AWS_SECRET_ACCESS_KEY": FAKE_KEY,
    "AWS_REGION": DEMO_REGION,
    "AWS_DEFAULT_REGION": DEMO_REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}
DROPPED_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL")


@dataclass
class DemoWorld:
    """A running emulator with the demo stack and its traffic."""

    endpoint_url: str
    functions: list[str]
    traffic: Any
    emulator: Any
    provisioned_by: str


def use_demo_credentials() -> None:
    """The emulator's published fake keys; a real profile must never reach the demo."""
    for name in DROPPED_ENV:
        os.environ.pop(name, None)
    os.environ.update(DEMO_ENV)


@contextmanager
def demo_world(
    empty: bool = False,
    interval_s: float = TRAFFIC_INTERVAL_S,
    provisioner: str = "boto3",
    progress: TextIO | None = None,
    **traffic_options: Any,
) -> Iterator[DemoWorld]:
    """Start the emulator, provision the demo stack, run traffic; stop all of it on exit."""
    from bgtui.emulator.server import Emulator
    from bgtui.emulator.traffic import TrafficGenerator

    use_demo_credentials()
    with Emulator(region=DEMO_REGION) as emulator, tempfile.TemporaryDirectory() as scratch:
        functions, how = (
            ([], "none")
            if empty
            else provision(emulator, provisioner, Path(scratch), progress or sys.stderr)
        )
        traffic = TrafficGenerator(emulator.url, DEMO_REGION, **traffic_options)
        traffic.tick()
        traffic.start(interval_s)
        try:
            yield DemoWorld(emulator.url, functions, traffic, emulator, how)
        finally:
            traffic.stop()


def terraform_available() -> bool:
    """terraform on PATH and an AWS provider it can install without the internet."""
    from bgtui.adapters.terraform_mirror import find_provider_mirror

    if shutil.which("terraform") is None:
        return False
    try:
        return find_provider_mirror() is not None
    except BgtuiError:
        return False


def provision(
    emulator: Any, provisioner: str, scratch: Path, progress: TextIO
) -> tuple[list[str], str]:
    """The demo stack through the Terraform example when possible (or asked), else boto3."""
    from bgtui.emulator.provision import provision_demo

    use_terraform = provisioner == "terraform" or (provisioner == "auto" and terraform_available())
    if use_terraform:
        try:
            return _provision_with_terraform(emulator.url, scratch, progress), "terraform"
        except BgtuiError as error:
            if provisioner == "terraform":
                raise
            progress.write(f"\nterraform provisioning failed ({error}); using boto3\n")
            emulator.reset()
    return provision_demo(emulator.url, DEMO_REGION), "boto3"


def _provision_with_terraform(url: str, scratch: Path, progress: TextIO) -> list[str]:
    from bgtui.core.plan import PlanEvent, PlanSummary
    from bgtui.emulator.tf_provision import provision_demo_with_terraform

    counted = {"lines": 0}
    line = ProgressLine(progress, shutil.get_terminal_size().columns)

    def show(step: str, event: PlanEvent) -> None:
        counted["lines"] += 1
        text = event.text if isinstance(event, PlanSummary) else f"{counted['lines']} lines"
        line.show(f"provisioning the demo stack with terraform: {step} · {text}")

    functions = provision_demo_with_terraform(url, DEMO_REGION, scratch, on_event=show)
    progress.write("\n")
    return functions


class ProgressLine:
    """One line rewritten in place: cut to the terminal's width (a wrapped line cannot be
    rewritten) and padded over the longer text it replaces (none of it is left behind)."""

    def __init__(self, out: TextIO, columns: int) -> None:
        self.out = out
        self.columns = max(columns, 20)
        self.width = 0

    def show(self, text: str) -> None:
        shown = printable(text, limit=self.columns - 1)
        self.out.write("\r" + shown.ljust(self.width))
        self.width = len(shown)
        self.out.flush()


def demo_settings(endpoint_url: str, base: Settings | None = None) -> Settings:
    """Settings for the demo: the emulator's endpoint and a separate demo audit trail."""
    settings = base or load_settings(
        env={k: v for k, v in os.environ.items() if k != "BGTUI_CONFIG"}
    )
    return replace(
        settings,
        endpoint_url=endpoint_url,
        region=DEMO_REGION,
        profile=None,
        audit_path=state_home() / "bgtui" / "demo-audit.jsonl",
        demo=True,
    )


def run_demo(args: argparse.Namespace) -> int:
    from bgtui.backend import build_backend
    from bgtui.training.clock import ScenarioClock
    from bgtui.training.scenarios import demo_package, scenario_named
    from bgtui.ui.app import make_app

    scenario = scenario_named(args.scenario) if args.scenario else None
    speed = args.speed or (SCENARIO_SPEED if scenario else 1.0)
    if not 1.0 <= speed <= 600.0:
        raise BadInput(f"--speed must be from 1 to 600, not {speed:g}")
    clock = ScenarioClock(speed)
    interval = min(TRAFFIC_INTERVAL_S, max(0.5, 60.0 / speed / 2))
    provisioner = getattr(args, "provision", None) or "auto"
    with demo_world(interval_s=interval, provisioner=provisioner, clock=clock) as world:
        settings = demo_settings(world.endpoint_url)
        if getattr(args, "read_only", False):
            settings = replace(settings, policy=replace(settings.policy, read_only=True))
        backend = build_backend(settings, clock=clock)
        if scenario is not None:
            scenario.setup(backend.operations, demo_package)
        app = make_app(backend, demo=True, clock=clock, scenario=scenario)
        app.run()
    return int(app.return_code or 0)
