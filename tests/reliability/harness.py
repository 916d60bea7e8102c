"""What the reliability tests share: a fresh service on the session emulator, an operator's
home, the CLI driven in-process, a fault proxy, and quick (but recorded) backoff."""

from __future__ import annotations

import functools
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.loaders
import botocore.session
import pytest
from botocore.retries.bucket import TokenBucket
from botocore.retries.standard import ExponentialBackoff

from bgtui.adapters.aws import retries
from bgtui.cli.main import main
from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import AuditRecord
from bgtui.demo.stack import ProvisionedService, provision_service
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import Emulator
from tests.reliability.fault_proxy import FaultProxy

_names = itertools.count(1)
# Throttling backoff is seconds per attempt at AWS's scale; the tests keep its shape, not its wait.
BACKOFF_SCALE = 100


@dataclass(frozen=True)
class Ran:
    """One CLI run: exit code and what it printed."""

    code: int
    out: str
    err: str

    @property
    def one_line_error(self) -> bool:
        """Exactly one line on stderr, and no traceback."""
        lines = self.err.strip().splitlines()
        return len(lines) == 1 and "Traceback" not in self.err and lines[0].startswith("bgtui: ")


class Cli:
    """`bgtui` run in-process against one endpoint, in one operator's home."""

    def __init__(self, endpoint: str, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.endpoint = endpoint
        self.home = home
        self._capsys = capsys

    @property
    def audit_path(self) -> Path:
        return self.home / "state" / "bgtui" / "emulator-audit.jsonl"  # not AWS: a trail apart

    def __call__(self, *args: str, endpoint: str | None = None) -> Ran:
        self._capsys.readouterr()
        code = main(["--endpoint-url", endpoint or self.endpoint, *args])
        captured = self._capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    def status(self, function: str, endpoint: str | None = None) -> dict[str, Any]:
        ran = self("status", function, "--json", endpoint=endpoint)
        assert ran.code == 0, ran.err
        return dict(json.loads(ran.out)["services"][0])

    def trail(self) -> AuditTrail:
        return AuditTrail(self.audit_path)

    def records(self, function: str) -> list[AuditRecord]:
        return [r for r in self.trail().records() if r.function == function]


def pointers(clients: EmulatorClients, service: ProvisionedService) -> dict[str, Any]:
    """Every pointer bgtui may move, with its revision: equal snapshots mean nothing changed."""
    aliases = clients.lambda_.list_aliases(FunctionName=service.function)["Aliases"]
    stages = clients.apigateway.get_stages(restApiId=service.api_id)["item"]
    return {
        "aliases": {
            a["Name"]: (a["FunctionVersion"], a.get("Description", ""), a.get("RevisionId"))
            for a in aliases
        },
        "stages": {s["stageName"]: s.get("variables", {}) for s in stages},
        "versions": [
            v["Version"]
            for v in clients.lambda_.list_versions_by_function(FunctionName=service.function)[
                "Versions"
            ]
        ],
    }


def intents_and_outcomes(records: list[AuditRecord]) -> tuple[list[AuditRecord], list[AuditRecord]]:
    intents = [r for r in records if r.phase == "intent"]
    outcomes = [r for r in records if r.phase == "outcome" and r.intent is not None]
    return intents, outcomes


def assert_trail_complete(trail: AuditTrail) -> None:
    """The chain verifies and every intent has exactly one outcome."""
    report = trail.verify()
    assert report.ok, report.problems
    intents, outcomes = intents_and_outcomes(trail.records())
    answered = sorted(r.intent for r in outcomes)
    assert answered == sorted(r.seq for r in intents), (answered, intents)


@pytest.fixture
def service(emulator: Emulator) -> ProvisionedService:
    """A blue/green service of its own (blue live v1, green idle v2), on the shared emulator."""
    name = f"rel-{os.getpid() % 1000}-{next(_names)}"
    return provision_service(emulator.url, name, display_name=f"Reliability {name}")


@pytest.fixture
def clients(emulator: Emulator) -> EmulatorClients:
    """boto3 clients straight to the emulator, around any proxy: the ground truth."""
    return EmulatorClients(emulator.url)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An operator's XDG directories: the audit trail lands in `<home>/state/bgtui`."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("BGTUI_CONFIG", raising=False)
    return tmp_path


_shared_loader = functools.cache(botocore.loaders.create_loader)


@pytest.fixture
def cli(
    emulator: Emulator,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    # Every run builds a new AWS session, which re-reads the service models from disk; the
    # models are the same files every time, so the runs share one loader.
    monkeypatch.setattr(botocore.session, "create_loader", _shared_loader)
    return Cli(emulator.url, home, capsys)


@pytest.fixture
def proxy(emulator: Emulator) -> Iterator[FaultProxy]:
    """A fault proxy in front of the emulator, torn down after the test."""
    with FaultProxy(emulator.url) as running:
        yield running


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, float]]:
    """Backoff (botocore's for reads, bgtui's for writes, adaptive rate limiting) keeps its shape
    but waits 1/100 as long; returns the (attempt, delay) of every mutation retry bgtui chose."""
    chosen: list[tuple[int, float]] = []
    real = retries.backoff_delay

    def recorded(attempt: int) -> float:
        delay = real(attempt)
        chosen.append((attempt, delay))
        return delay / BACKOFF_SCALE

    monkeypatch.setattr(retries, "backoff_delay", recorded)
    scales = ExponentialBackoff._DEFAULT_BACKOFF_CONFIG
    for key in list(scales):
        monkeypatch.setitem(scales, key, scales[key] / BACKOFF_SCALE)
    # Adaptive mode slows a throttled client to as little as half a request a second.
    min_rate = TokenBucket._MIN_RATE * BACKOFF_SCALE
    monkeypatch.setattr(TokenBucket.__init__, "__defaults__", (min_rate,))
    return chosen
