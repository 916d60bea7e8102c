"""Core fixtures: a fake AWS, an audit trail in a temporary folder, and the operations wired up."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.operations import BlueGreen
from bgtui.core.policy import Policy
from tests.fakes import FakeAws

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


@pytest.fixture
def aws() -> FakeAws:
    fake = FakeAws()
    fake.add_service("payments-api")
    fake.add_service("ledger-writer", broken=["3"])
    return fake


@pytest.fixture
def trail(tmp_path: Path) -> AuditTrail:
    return AuditTrail(tmp_path / "audit.jsonl", signing_key=b"k" * 32, clock=lambda: NOW)


def make_ops(aws: FakeAws, trail: AuditTrail, policy: Policy | None = None) -> BlueGreen:
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)
    return BlueGreen(catalog, aws, aws, trail, aws, policy or Policy(), sink=aws, clock=lambda: NOW)


@pytest.fixture
def ops(aws: FakeAws, trail: AuditTrail) -> BlueGreen:
    return make_ops(aws, trail)
