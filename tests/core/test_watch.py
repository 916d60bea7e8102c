"""The watch window: thresholds, minute verdicts, waiting for data, the breach, its rollback."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.auto_rollback import auto_rollback
from bgtui.core.errors import Conflict, CredentialError, EndpointUnreachable
from bgtui.core.metrics import GroupHealth, HealthWindow, MinuteSeries, window_minutes
from bgtui.core.models import AlarmState, Colour, LiveRecord, ServiceState
from bgtui.core.operations import BlueGreen
from bgtui.core.watch import (
    Status,
    Verdict,
    WatchReport,
    WatchThresholds,
    WatchWindow,
    evaluate,
    thresholds_from_tags,
)
from bgtui.core.watch_loop import PassClaim, record_pass
from tests.core.conftest import NOW, make_ops
from tests.fakes import FakeAws

START = NOW  # 03:00:00, the swap
UNTIL = NOW + timedelta(minutes=10)
LIMITS = WatchThresholds()


def promoted(ops: BlueGreen, minutes: int = 10) -> ServiceState:
    """payments-api promoted to green v3 with a watch window recorded in the same write."""
    ref = ops.catalog.find("payments-api")
    ops.run_smoke(ref)
    change = replace(ops.prepare_promote(ref, reason="CHG-1"), watch_minutes=minutes)
    ops.execute(change, change.confirmation_text)
    return ops.catalog.read(ref)


def health(
    now: datetime,
    calls: list[float | None],
    errors: list[float | None],
    p99: list[float | None] | None = None,
    incomplete: int = 2,
) -> HealthWindow:
    """A window ending at `now` whose last len(calls) minutes hold these values."""
    minutes = window_minutes(now, len(calls))
    series = {
        "invocations": MinuteSeries(tuple(calls)),
        "errors": MinuteSeries(tuple(errors)),
        "p99": MinuteSeries(tuple(p99 or [None] * len(calls))),
    }
    return HealthWindow(minutes, incomplete, {"green:prod": GroupHealth(series)})


def window(limits: WatchThresholds = LIMITS) -> WatchWindow:
    return WatchWindow(START, UNTIL, limits)


def test_defaults_match_the_documented_ones() -> None:
    assert (LIMITS.minutes, LIMITS.error_percent, LIMITS.p99_ms) == (10, 2.0, 0.0)
    assert (LIMITS.min_requests, LIMITS.breaching_minutes) == (10, 3)
    assert not WatchThresholds(minutes=0).enabled


def test_tags_override_the_configuration_and_bad_ones_are_named() -> None:
    tags = {"bluegreen:watch-minutes": "5", "bluegreen:watch-error-percent": "0.5"}
    found, problems = thresholds_from_tags(LIMITS, tags)
    assert (found.minutes, found.error_percent, found.breaching_minutes) == (5, 0.5, 3)
    assert problems == ()
    found, problems = thresholds_from_tags(LIMITS, {"bluegreen:watch-p99-ms": "fast"})
    assert found == LIMITS
    assert problems == ("bluegreen:watch-p99-ms='fast' is not a number",)


def test_promote_records_the_window_end_in_the_live_record(ops: BlueGreen) -> None:
    state = promoted(ops)
    assert state.record is not None
    assert state.record.watch_until == "2026-11-28T03:10:00Z"
    found = WatchWindow.of(state, LIMITS)
    assert found is not None and (found.started, found.until) == (START, UNTIL)


def test_fresh_minutes_are_waiting_for_data_never_healthy(ops: BlueGreen) -> None:
    state = promoted(ops)
    now = START + timedelta(minutes=1, seconds=30)
    report = evaluate(window(), state, health(now, [100, 100], [0, 0]), now)
    assert [m.verdict for m in report.minutes] == [Verdict.WAITING, Verdict.WAITING]
    assert report.status is Status.WATCHING


def test_a_gap_is_not_a_zero_and_a_window_of_gaps_is_not_passed(ops: BlueGreen) -> None:
    state = promoted(ops)
    now = UNTIL + timedelta(minutes=2, seconds=30)
    calls: list[float | None] = [None] * 13
    report = evaluate(window(), state, health(now, calls, calls), now)
    assert {m.verdict for m in report.minutes} == {Verdict.NO_DATA}
    assert report.status is Status.UNPROVEN


def test_three_breaching_minutes_breach_with_measured_words(ops: BlueGreen) -> None:
    state = promoted(ops)
    now = START + timedelta(minutes=4, seconds=30)
    report = evaluate(
        window(), state, health(now, [100, 100, 100, 100, 100], [7, 7, 7.6, 9, 9]), now
    )
    assert [m.verdict for m in report.minutes][:3] == [Verdict.BREACHING] * 3
    assert report.status is Status.BREACH
    assert report.measured == "5xx 7.2% > 2% in 3 of 3 minutes"
    assert report.minutes[0].line().startswith("03:00  requests   100  5xx   7.0%")


def test_two_of_three_breaching_keeps_watching(ops: BlueGreen) -> None:
    state = promoted(ops)
    now = START + timedelta(minutes=4, seconds=30)
    report = evaluate(window(), state, health(now, [100, 100, 100, 0, 0], [9, 0, 9, 0, 0]), now)
    assert report.status is Status.WATCHING


def test_thin_minutes_are_not_judged(ops: BlueGreen) -> None:
    state = promoted(ops)
    now = START + timedelta(minutes=4, seconds=30)
    report = evaluate(window(), state, health(now, [4, 4, 4, 4, 4], [4, 4, 4, 4, 4]), now)
    assert [m.verdict for m in report.minutes][:3] == [Verdict.THIN] * 3
    assert report.status is Status.WATCHING


def test_p99_rule_when_set(ops: BlueGreen) -> None:
    state = promoted(ops)
    now = START + timedelta(minutes=4, seconds=30)
    calls: list[float | None] = [50] * 5
    data = health(now, calls, [0] * 5, [900, 950, 1000, 0, 0])
    assert evaluate(window(), state, data, now).status is Status.WATCHING
    report = evaluate(window(replace(LIMITS, p99_ms=800)), state, data, now)
    assert report.status is Status.BREACH
    assert report.measured == "p99 at least 900 ms > 800 ms in 3 of 3 minutes"


def test_window_passes_once_all_its_minutes_are_complete_and_healthy(ops: BlueGreen) -> None:
    state = promoted(ops)
    calls: list[float | None] = [100] * 12
    at_end = UNTIL + timedelta(seconds=30)
    assert evaluate(window(), state, health(at_end, calls, [0] * 12), at_end).status is (
        Status.WATCHING
    )
    later = UNTIL + timedelta(minutes=2, seconds=30)
    report = evaluate(window(), state, health(later, [*calls, 100], [0] * 13), later)
    assert report.status is Status.PASSED
    assert len(report.minutes) == 10


def test_a_live_alarm_counts_only_when_it_fired_after_the_swap(ops: BlueGreen) -> None:
    """The version live before a fix must never get the fix rolled back."""
    state = promoted(ops)
    now = START + timedelta(minutes=3)
    old = AlarmState(
        "payments-api-live-errors", "ALARM", "live", since=START - timedelta(minutes=1)
    )
    report = evaluate(window(), replace(state, alarms=(old,)), None, now)
    assert report.status is Status.WATCHING
    new = replace(old, since=START + timedelta(minutes=2))
    report = evaluate(window(), replace(state, alarms=(new,)), None, now)
    assert report.status is Status.BREACH
    assert report.measured == "alarm payments-api-live-errors in ALARM since 03:02"


def breach(ops: BlueGreen) -> tuple[ServiceState, WatchReport]:
    state = promoted(ops)
    now = START + timedelta(minutes=4, seconds=30)
    report = evaluate(window(), state, health(now, [100] * 5, [9] * 5), now)
    assert report.status is Status.BREACH
    return state, report


def test_auto_rollback_is_one_swap_verified_within_two_calls(ops: BlueGreen, aws: FakeAws) -> None:
    state, report = breach(ops)
    aws.calls.clear()
    result = auto_rollback(ops, state, report, by="alice")
    assert aws.calls[:2] == ["lambda:UpdateAlias", "lambda:GetAlias"]
    assert aws.calls.count("lambda:UpdateAlias") == 1
    after = result.state_after
    assert after is not None and after.live_colour is Colour.BLUE and after.live.version == "2"
    assert after.record is not None and after.record.watch_until == ""
    assert aws.stages["api0"]["test"].lambda_alias == "green"
    last = ops.audit.records()[-1]
    assert (last.action, last.outcome, last.extra["by"]) == ("auto-rollback", "ok", "alice")
    assert last.extra["measured"] == "5xx 9.0% > 2% in 3 of 3 minutes"
    assert last.extra["rule"] == "5xx > 2% in 3 of 3 minutes"


def test_two_watchers_of_one_breach_roll_back_exactly_once(ops: BlueGreen, aws: FakeAws) -> None:
    state, report = breach(ops)
    auto_rollback(ops, state, report, by="console")
    with pytest.raises(Conflict):
        auto_rollback(ops, state, report, by="guard")
    outcomes = [r.outcome for r in ops.audit.records() if r.action == "auto-rollback"]
    assert outcomes == [None, "ok", None, "conflict"]


def passed_window(ops: BlueGreen) -> tuple[ServiceState, WatchReport]:
    state = promoted(ops)
    later = UNTIL + timedelta(minutes=2, seconds=30)
    report = evaluate(window(), state, health(later, [100] * 13, [0] * 13), later)
    assert report.status is Status.PASSED
    return state, report


def test_two_hosts_watching_one_window_record_and_announce_its_pass_once(
    ops: BlueGreen, aws: FakeAws, tmp_path: Path
) -> None:
    """Each host reads the same state and finds the window passed; the first marks the live
    record (one compare-and-swap UpdateAlias to the version live runs) and records the pass,
    the other's write finds the revision moved and records nothing. A host that reads after the
    mark does not even try."""
    state, report = passed_window(ops)
    other = make_ops(aws, AuditTrail(tmp_path / "other.jsonl", b"o" * 32, clock=lambda: NOW))
    aws.calls.clear()
    assert record_pass(ops, state, report, by="alice") is PassClaim.CLAIMED
    assert record_pass(other, state, report, by="bob") is PassClaim.TAKEN
    assert aws.calls == ["lambda:UpdateAlias", "lambda:UpdateAlias"]
    marked = ops.catalog.read(state.ref)
    assert marked.live is not None and marked.live.version == state.live.version
    assert marked.record is not None and marked.record.passed_at == "2026-11-28T03:00:00Z"
    assert marked.record.watch_until == state.record.watch_until, "the window itself is kept"
    assert marked.previous == state.previous
    aws.calls.clear()
    assert record_pass(other, marked, report, by="bob") is PassClaim.TAKEN
    assert aws.calls == []
    assert [r.extra["by"] for r in ops.audit.records() if r.action == "watch"] == ["alice"]
    assert not [r for r in other.audit.records() if r.action == "watch"]


@pytest.mark.parametrize(
    "error",
    [
        CredentialError("access denied: lambda:UpdateAlias"),
        EndpointUnreachable("connection lost"),
    ],
    ids=["read-only", "unreachable"],
)
def test_a_watcher_that_cannot_mark_the_pass_still_records_it(
    ops: BlueGreen, aws: FakeAws, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    state, report = passed_window(ops)

    def refused(*_: object) -> None:
        raise error

    monkeypatch.setattr(aws, "update_alias", refused)
    assert record_pass(ops, state, report, by="reader") is PassClaim.UNMARKED
    assert [r.extra["by"] for r in ops.audit.records() if r.action == "watch"] == ["reader"]


def test_the_pass_mark_survives_the_record_round_trip() -> None:
    record = LiveRecord(Colour.GREEN, None, "2026-11-28T03:00:00Z", "alice", "t1", "t2")
    assert LiveRecord.from_description(record.to_description()) == record
    assert '"passed":"t2"' in record.to_description()
