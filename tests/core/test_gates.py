"""Each gate on its own: what passes, what fails, what may be overridden and how it is reported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bgtui.core import gates
from bgtui.core.gates import GateResult
from bgtui.core.models import AlarmState, Colour, PreviousLive
from bgtui.core.policy import GATE_IDLE_ALARMS, GATE_REASON, GATE_SMOKE, Policy
from bgtui.core.smoke import SmokeRecord
from tests.core.states import state_of

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def smoke(version: str = "3", passed: bool = True, age: timedelta = timedelta()) -> SmokeRecord:
    return SmokeRecord(version, "green", passed, NOW - age, "1/1 checks passed")


def test_the_reason_gate_wants_a_reason_and_the_ticket_pattern() -> None:
    assert not gates.reason_gate("  ", Policy()).passed
    assert gates.reason_gate(" CHG-1 ", Policy()).detail == "reason: CHG-1"
    ticketed = Policy(ticket_pattern="CHG-[0-9]+")
    assert not gates.reason_gate("because", ticketed).passed
    assert gates.reason_gate("CHG-42 hotfix", ticketed).passed
    assert gates.reason_gate("", Policy(require_reason=False)).passed


def test_the_consistency_gate_names_what_is_wrong() -> None:
    assert gates.consistency_gate(state_of()).passed
    broken = gates.consistency_gate(state_of(live_version="7"))
    assert not broken.passed and "live runs version 7" in broken.detail


def test_idle_must_differ_from_live() -> None:
    assert gates.idle_differs_gate(state_of()).passed
    same = gates.idle_differs_gate(state_of(green="2"))
    assert not same.passed and "already runs live version 2" in same.detail


def test_the_smoke_gate_wants_a_recent_passing_run_of_the_idle_version() -> None:
    state, policy = state_of(), Policy(smoke_max_age_minutes=60)
    assert gates.smoke_gate(state, smoke(), policy, NOW).passed
    assert gates.smoke_gate(state, smoke(age=timedelta(minutes=60)), policy, NOW).passed
    old = gates.smoke_gate(state, smoke(age=timedelta(minutes=61)), policy, NOW)
    assert not old.passed and "61 min old" in old.detail
    assert "no smoke run recorded" in gates.smoke_gate(state, None, policy, NOW).detail
    assert not gates.smoke_gate(state, smoke(version="2"), policy, NOW).passed
    failed = gates.smoke_gate(state, smoke(passed=False), policy, NOW)
    assert not failed.passed and "FAILED" in failed.detail and failed.overridable


def test_only_an_alarm_of_the_idle_colour_blocks() -> None:
    live_firing = (AlarmState("payments-api-blue-errors", "ALARM", "blue", "errors"),)
    assert gates.idle_alarms_gate(state_of(alarms=live_firing), Policy()).passed
    idle_firing = (AlarmState("payments-api-green-p99", "ALARM", "green", "p99"),)
    blocked = gates.idle_alarms_gate(state_of(alarms=idle_firing), Policy())
    assert not blocked.passed and "payments-api-green-p99" in blocked.detail
    unreadable = gates.idle_alarms_gate(state_of(alarms_unreadable="denied"), Policy())
    assert not unreadable.passed and "unreadable: denied" in unreadable.detail


def test_overrides_apply_to_failed_overridable_gates_with_a_reason_only() -> None:
    failed_smoke = GateResult(GATE_SMOKE, False, "no run", overridable=True)
    failed_reason = GateResult(GATE_REASON, False, "a reason is required")
    passed_alarms = GateResult(GATE_IDLE_ALARMS, True, "quiet")
    overrides = {GATE_SMOKE: " by hand ", GATE_REASON: "please", GATE_IDLE_ALARMS: "x"}
    smoke_gate, reason_gate, alarms_gate = gates.apply_overrides(
        (failed_smoke, failed_reason, passed_alarms), overrides, Policy()
    )
    assert smoke_gate.satisfied and smoke_gate.override_reason == "by hand"
    assert smoke_gate.verdict == "overridden"
    assert not reason_gate.satisfied, "the reason gate is not overridable by default"
    assert alarms_gate == passed_alarms, "a passed gate is left as it was"
    blank = gates.apply_overrides((failed_smoke,), {GATE_SMOKE: "  "}, Policy())
    assert not blank[0].satisfied


def test_a_rollback_needs_a_recorded_previous_version() -> None:
    without = gates.rollback_gates(state_of(), "CHG-1", Policy())
    assert [g.passed for g in without] == [False, True]
    previous = PreviousLive(Colour.GREEN, "1")
    with_previous = gates.rollback_gates(state_of(previous=previous), "CHG-1", Policy())
    assert with_previous[0].passed and with_previous[0].detail == "previous live: green v1"


def test_promote_gates_come_in_a_fixed_order() -> None:
    names = [g.name for g in gates.promote_gates(state_of(), smoke(), "CHG-1", Policy(), NOW)]
    assert names == ["consistent", "idle-differs", "smoke-passed", "idle-alarms", "reason"]


def test_the_recorded_form_carries_an_override_only_when_there_is_one() -> None:
    assert GateResult("g", True, "d").as_dict() == {"gate": "g", "result": "pass", "detail": "d"}
    overridden = GateResult("g", False, "d", True, "by hand").as_dict()
    assert overridden == {"gate": "g", "result": "overridden", "detail": "d", "override": "by hand"}
    assert GateResult("g", False, "d").verdict == "FAIL"
