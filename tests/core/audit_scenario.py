"""A fixed sequence of operations that writes one audit record of every kind the core writes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.change import DeploySource
from bgtui.core.errors import BgtuiError
from bgtui.core.models import Colour
from bgtui.core.operations import BlueGreen
from bgtui.core.policy import Policy
from tests import fakes
from tests.fakes import FakeAws

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
KEY = b"k" * 32
ENDPOINT = "http://127.0.0.1:4566"


def write_scenario(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """Write the trail at `path`; returns what was shipped to the log groups."""
    # Revisions and check durations are the only values that vary between runs: pin them.
    monkeypatch.setattr(fakes, "_revisions", itertools.count(1))
    monkeypatch.setattr("bgtui.core.smoke.time.perf_counter", lambda: 0.0)
    aws = FakeAws()
    aws.add_service("payments-api")
    aws.add_service("ledger-writer", broken=["3"])
    trail = AuditTrail(path, signing_key=KEY, clock=lambda: NOW, marks={"endpoint": ENDPOINT})
    ops = _ops(aws, trail, Policy())
    for step in _steps(aws, trail):
        with suppress(BgtuiError):
            step(ops)
    return aws.shipped


def _ops(aws: FakeAws, trail: AuditTrail, policy: Policy) -> BlueGreen:
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)
    return BlueGreen(catalog, aws, aws, trail, aws, policy, sink=aws, clock=lambda: NOW)


def _steps(aws: FakeAws, trail: AuditTrail) -> list[Callable[[BlueGreen], object]]:
    return [
        lambda ops: ops.run_smoke(ops.catalog.find("payments-api")),
        lambda ops: ops.run_smoke(ops.catalog.find("ledger-writer")),
        lambda ops: _promote(ops, "payments-api", "CHG-1 Zürich ✓"),
        lambda ops: _promote(ops, "payments-api", ""),
        lambda ops: _rollback(ops, "payments-api", "CHG-2 back"),
        lambda ops: _deploy(ops, DeploySource.from_zip("build-7.zip", b"PK-good"), "CHG-3"),
        lambda ops: _deploy(ops, DeploySource.existing("1"), "CHG-4", "ledger-writer"),
        lambda ops: _deploy(ops, DeploySource.from_latest(), "CHG-4b"),
        lambda ops: _deploy(ops, DeploySource.existing("99"), "CHG-5"),
        lambda ops: ops.prepare_promote(ops.catalog.find("payments-api"), Colour.BLUE, "CHG-6"),
        lambda ops: _override(ops),
        lambda ops: _unreachable(aws, {"lambda:UpdateAlias"}, _rollback, ops, "ledger-writer"),
        lambda ops: _stale(ops, aws),
        lambda ops: ops.run_smoke(ops.catalog.find("payments-api")),
        lambda ops: _promote(ops, "payments-api", "CHG-12"),
        lambda ops: _deploy(ops, DeploySource.from_zip("build-8.zip", b"PK-next"), "CHG-13"),
        lambda ops: _rollback(ops, "payments-api", "CHG-14 blue was redeployed"),
        lambda ops: _unreachable(aws, {"after:live", "lambda:GetAlias"}, _promote, ops),
        lambda ops: _unreachable(aws, {"after:blue", "lambda:GetAlias"}, _deploy_latest, ops),
        lambda ops: ops.reconcile(ops.catalog.read(ops.catalog.find("payments-api"))),
        lambda ops: _ops(aws, trail, Policy(read_only=True)).prepare_rollback(
            ops.catalog.find("payments-api"), reason="CHG-8"
        ),
    ]


def _promote(ops: BlueGreen, function: str, reason: str) -> object:
    change = ops.prepare_promote(ops.catalog.find(function), reason=reason)
    return ops.execute(change, change.confirmation_text)


def _rollback(ops: BlueGreen, function: str, reason: str) -> object:
    change = ops.prepare_rollback(ops.catalog.find(function), reason=reason)
    return ops.execute(change, change.confirmation_text)


def _deploy(
    ops: BlueGreen, source: DeploySource, reason: str, function: str = "payments-api"
) -> object:
    change = ops.prepare_deploy(ops.catalog.find(function), source, reason)
    return ops.execute(change, change.confirmation_text)


def _deploy_latest(ops: BlueGreen, function: str, reason: str) -> object:
    return _deploy(ops, DeploySource.from_latest(), reason, function)


def _override(ops: BlueGreen) -> object:
    ref = ops.catalog.find("ledger-writer")
    overrides = {"smoke-passed": "hotfix, tested by hand"}
    change = ops.prepare_promote(ref, reason="CHG-7", overrides=overrides)
    return ops.execute(change, change.confirmation_text)


def _unreachable(
    aws: FakeAws,
    operations: set[str],
    run: Callable[[BlueGreen, str, str], object],
    ops: BlueGreen,
    function: str = "payments-api",
) -> object:
    aws.unreachable_on = operations
    try:
        return run(ops, function, "CHG-10 endpoint lost")
    finally:
        aws.unreachable_on = set()


def _stale(ops: BlueGreen, aws: FakeAws) -> object:
    change = ops.prepare_rollback(ops.catalog.find("ledger-writer"), reason="CHG-11")
    live = aws.functions["ledger-writer"].aliases["live"]
    aws.update_alias("ledger-writer", "live", live.version, live.revision_id, live.description)
    return ops.execute(change, change.confirmation_text)
