"""The guard against the emulator: one CAS rollback inside the watch window, nothing outside it.

The event is the payload the CloudWatch User Guide documents for a Lambda alarm action
("Invoke a Lambda function from an alarm"); the 412 PreconditionFailedException on a stale
RevisionId is Lambda's UpdateAlias contract (botocore's lambda service model)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from bgtui.app.settings import Settings
from bgtui.app.shapes import service_document
from bgtui.app.wiring import build_backend
from bgtui.cli.render import status_table
from bgtui.core.models import ServiceState
from bgtui.demo.stack import provision_service
from tests.guard.conftest import LIVE_ALARM, NOW, WATCH_END, Guarded, make_guard


def test_a_live_alarm_inside_the_window_rolls_back_once_and_says_why(
    guard_code: ModuleType, guarded: Guarded
) -> None:
    guarded.promote_green()
    before = guarded.live()
    decision = make_guard(guard_code, guarded).handle(guarded.event())
    assert decision.action == "rolled-back", decision
    live = guarded.live()
    assert live["FunctionVersion"] == guarded.service.blue
    assert live["RevisionId"] != before["RevisionId"]
    record = guarded.record()
    assert record["live"] == "blue"
    assert record["previous"] == {"colour": "green", "version": guarded.service.green}
    assert record["by"] == "guard" and "watch" not in record
    assert guarded.test_stage_alias() == "green"
    (audit,) = guarded.audit_lines()
    assert audit["action"] == "auto-rollback" and audit["by"] == "guard"
    assert audit["outcome"] == "ok" and audit["function"] == guarded.function
    assert audit["rule"] == f"alarm {LIVE_ALARM}"
    assert audit["measured"].startswith(f"alarm {LIVE_ALARM} in ALARM: Threshold Crossed")
    assert audit["after"] == {"live": {"colour": "blue", "version": guarded.service.blue}}
    assert audit["before"]["live"]["revision"] == before["RevisionId"]
    # The same alarm delivered again (Lambda retries asynchronous invocations): no second one.
    again = make_guard(guard_code, guarded).handle(guarded.event())
    assert again.action == "none" and "no watch window" in again.detail
    assert guarded.live()["RevisionId"] == live["RevisionId"]
    assert len(guarded.audit_lines()) == 1


def test_after_the_window_closes_the_guard_does_nothing(
    guard_code: ModuleType, guarded: Guarded
) -> None:
    guarded.promote_green()
    before = guarded.live()
    decision = make_guard(guard_code, guarded, now=WATCH_END).handle(guarded.event())
    assert decision.action == "none" and "closed at 2026-12-01T14:32:00Z" in decision.detail
    assert guarded.live() == before
    assert guarded.audit_lines() == []


def test_without_a_watch_window_the_guard_does_nothing(
    guard_code: ModuleType, guarded: Guarded
) -> None:
    guarded.promote_green(watch=None)
    decision = make_guard(guard_code, guarded).handle(guarded.event())
    assert decision.action == "none"
    assert guarded.live()["FunctionVersion"] == guarded.service.green


def test_ok_states_and_other_alarms_are_ignored(guard_code: ModuleType, guarded: Guarded) -> None:
    guarded.promote_green()
    guard = make_guard(guard_code, guarded)
    assert guard.handle(guarded.event(state="OK")).action == "none"
    green_alarm = guarded.event(name=f"{guarded.function}-green-errors")
    assert "not about" in guard.handle(green_alarm).detail
    assert guarded.live()["FunctionVersion"] == guarded.service.green


def test_a_stale_revision_is_a_conflict_and_changes_nothing(
    guard_code: ModuleType, guarded: Guarded
) -> None:
    """Someone moves live between the guard's read and its write: UpdateAlias answers 412."""
    guarded.promote_green()
    guard = make_guard(guard_code, guarded)
    stale = guard._read_live()
    guarded.promote_green(watch=WATCH_END)
    moved = guarded.live()
    decision = guard._roll_back(guard_code.AlarmEvent.parse(guarded.event()), stale)
    assert decision.action == "conflict" and "changed by someone else" in decision.detail
    assert guarded.live() == moved
    (audit,) = guarded.audit_lines()
    assert audit["outcome"] == "conflict" and "after" not in audit


def test_the_watch_end_is_read_as_utc(guard_code: ModuleType) -> None:
    record = {"watch": "2026-12-01T14:32:00Z"}
    assert guard_code.watch_end(record) == WATCH_END
    assert guard_code.watch_end({"watch": "soon"}) is None
    assert guard_code.watch_end({}) is None
    assert NOW < WATCH_END


def test_status_says_which_services_aws_guards(guarded: Guarded, tmp_path: Path) -> None:
    """The module's tag bluegreen:guard = "on" (set by provision_guard as by enable_guard)."""
    plain = provision_service(guarded.clients, "unguarded-api")
    settings = Settings(
        endpoint_url=guarded.clients.endpoint_url,
        region=guarded.clients.region,
        audit_path=tmp_path / "audit.jsonl",
    )
    catalog = build_backend(settings).catalog
    states = [s for s in catalog.read_many(catalog.discover()) if isinstance(s, ServiceState)]
    by_function = {s.ref.function: s for s in states}
    assert service_document(by_function[guarded.function])["guarded_by_aws"] is True
    assert service_document(by_function[plain.function])["guarded_by_aws"] is False
    text = status_table(states)
    assert f"{guarded.function}: guarded by AWS" in text
    assert f"{plain.function}: guarded" not in text
