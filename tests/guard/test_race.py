"""The console's rollback and the guard react to the same breach: exactly one rollback happens.

Both hold the same live RevisionId; Lambda's UpdateAlias refuses the stale one with 412
PreconditionFailedException (botocore's lambda service model), which the emulator enforces."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import Conflict
from tests.guard.conftest import Guarded, make_guard


def operator(guarded: Guarded, tmp_path: Path) -> Backend:
    settings = Settings(
        endpoint_url=guarded.clients.endpoint_url,
        region=guarded.clients.region,
        audit_path=tmp_path / "audit.jsonl",
        demo=True,
    )
    return build_backend(settings)


def rollback_records(backend: Backend) -> list[AuditRecord]:
    return [r for r in backend.audit.records() if r.action == "rollback"]


def test_the_guard_wins_and_the_console_gets_a_conflict(
    guard_code: ModuleType, guarded: Guarded, tmp_path: Path
) -> None:
    guarded.promote_green()
    backend = operator(guarded, tmp_path)
    ref = backend.catalog.find(guarded.function)
    change = backend.operations.prepare_rollback(ref, reason="errors after the swap")
    assert make_guard(guard_code, guarded).handle(guarded.event()).action == "rolled-back"
    after_guard = guarded.live()
    with pytest.raises(Conflict):
        backend.operations.execute(change, change.confirmation_text)
    assert guarded.live() == after_guard
    assert guarded.live()["FunctionVersion"] == guarded.service.blue
    outcomes = [r.outcome for r in rollback_records(backend) if r.phase == "outcome"]
    assert outcomes == ["conflict"]


class RaceAfterRead:
    """Clients for the guard that let the console roll back right after the guard reads live."""

    def __init__(self, guarded: Guarded, competitor: Any) -> None:
        self._guarded = guarded
        self._competitor = competitor
        self.raced = False

    def __call__(self, service: str) -> Any:
        client = self._guarded.clients.client(service)
        return self if service == "lambda" else client

    def get_alias(self, **params: Any) -> Any:
        answer = self._guarded.clients.lambda_.get_alias(**params)
        if not self.raced and params["Name"] == "live":
            self.raced = True
            self._competitor()
        return answer

    def update_alias(self, **params: Any) -> Any:
        return self._guarded.clients.lambda_.update_alias(**params)


def test_the_console_wins_and_the_guard_changes_nothing(
    guard_code: ModuleType, guarded: Guarded, tmp_path: Path
) -> None:
    guarded.promote_green()
    backend = operator(guarded, tmp_path)
    ref = backend.catalog.find(guarded.function)

    def console_rollback() -> None:
        change = backend.operations.prepare_rollback(ref, reason="errors after the swap")
        backend.operations.execute(change, change.confirmation_text)

    clients = RaceAfterRead(guarded, console_rollback)
    guard = make_guard(guard_code, guarded)
    guard._clients = clients
    decision = guard.handle(guarded.event())
    assert clients.raced
    assert decision.action == "conflict", decision
    record = guarded.record()
    assert record["live"] == "blue" and record.get("by") != "guard"
    assert guarded.live()["FunctionVersion"] == guarded.service.blue
    assert [r.outcome for r in rollback_records(backend) if r.phase == "outcome"] == ["ok"]
    (audit,) = [line for line in guarded.audit_lines() if line.get("by") == "guard"]
    assert audit["action"] == "auto-rollback" and audit["outcome"] == "conflict"
