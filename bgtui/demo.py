"""`bgtui demo`: the console on the embedded emulator, provisioned, with synthetic traffic."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from bgtui.config import Settings, load_settings, state_home
from bgtui.emulator.clients import FAKE_KEY

DEMO_REGION = "us-east-1"
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
    empty: bool = False, interval_s: float = TRAFFIC_INTERVAL_S, **traffic_options: Any
) -> Iterator[DemoWorld]:
    """Start the emulator, provision the demo stack, run traffic; stop all of it on exit."""
    from bgtui.emulator.provision import provision_demo
    from bgtui.emulator.server import Emulator
    from bgtui.emulator.traffic import TrafficGenerator

    use_demo_credentials()
    with Emulator(region=DEMO_REGION) as emulator:
        functions, how = (
            ([], "none") if empty else (provision_demo(emulator.url, DEMO_REGION), "boto3")
        )
        traffic = TrafficGenerator(emulator.url, DEMO_REGION, **traffic_options)
        traffic.tick()
        traffic.start(interval_s)
        try:
            yield DemoWorld(emulator.url, functions, traffic, emulator, how)
        finally:
            traffic.stop()


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
    from bgtui.ui.app import make_app

    with demo_world() as world:
        settings = demo_settings(world.endpoint_url)
        if getattr(args, "read_only", False):
            settings = replace(settings, policy=replace(settings.policy, read_only=True))
        app = make_app(build_backend(settings), demo=True)
        app.run()
    return int(app.return_code or 0)
