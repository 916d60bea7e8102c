"""pytest plugin: fake AWS credentials, one emulator per session, a fresh demo stack per test.

Register it from the root conftest with `pytest_plugins = ["tests.emulator_fixtures"]`.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bgtui.demo.stack import provision_demo
from bgtui.demo.traffic import TrafficGenerator
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import DEFAULT_REGION, Emulator

# The emulator's published fake credentials (not secret); no real profile may leak into tests.
FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": DEFAULT_REGION,
    "AWS_REGION": DEFAULT_REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
REAL_AWS_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
TRAFFIC_SEED = 20260105


def pytest_configure(config: pytest.Config) -> None:
    for name in REAL_AWS_ENV:
        os.environ.pop(name, None)
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
        os.environ.pop(name)
    os.environ.update(FAKE_AWS_ENV)
    # The emulator is local: a developer's HTTP proxy must not see its traffic.
    local = "127.0.0.1,localhost"
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(p for p in (os.environ.get(name, ""), local) if p)


@dataclass(frozen=True)
class DemoStack:
    """The demo services on a freshly reset emulator."""

    endpoint_url: str
    functions: tuple[str, ...]
    region: str = DEFAULT_REGION

    def clients(self) -> EmulatorClients:
        return EmulatorClients(self.endpoint_url, self.region)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One emulator for the whole session; `emulator.url` is its endpoint."""
    with Emulator() as running:
        yield running


@pytest.fixture(scope="session")
def emulator_url(emulator: Emulator) -> str:
    return emulator.url


@pytest.fixture
def clean_emulator(emulator: Emulator) -> str:
    """The session's emulator with all state cleared; returns its endpoint URL."""
    emulator.reset()
    return emulator.url


@pytest.fixture
def demo_stack(clean_emulator: str) -> DemoStack:
    """A freshly provisioned demo stack (payments-api, ledger-writer, fx-rates)."""
    return DemoStack(clean_emulator, tuple(provision_demo(clean_emulator, DEFAULT_REGION)))


@pytest.fixture
def demo_traffic(demo_stack: DemoStack) -> TrafficGenerator:
    """A seeded traffic generator that has back-filled the last hour for the demo stack."""
    traffic = TrafficGenerator(
        demo_stack.endpoint_url, demo_stack.region, rng=random.Random(TRAFFIC_SEED)
    )
    traffic.tick()
    return traffic
