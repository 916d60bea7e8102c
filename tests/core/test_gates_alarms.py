"""Alarm gates look at the version they are about: an earlier version's alarm never blocks a fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bgtui.core.gates import idle_alarms_gate, promote_gates
from bgtui.core.models import AlarmState, ServiceState
from bgtui.core.operations import BlueGreen
from bgtui.core.policy import Policy
from tests.core.conftest import NOW

DEPLOYED = '{"at":"2026-11-28T03:00:00Z","schema":"bgtui/colour-v1","source":"zip fix.zip"}'


def idle_with_alarm(ops: BlueGreen, since_minutes: float | None, deployed: bool) -> ServiceState:
    state = ops.catalog.read(ops.catalog.find("payments-api"))
    assert state.green is not None
    green = replace(state.green, description=DEPLOYED if deployed else "")
    since = None if since_minutes is None else NOW + timedelta(minutes=since_minutes)
    alarm = AlarmState("payments-api-green-errors", "ALARM", "green", "errors", since=since)
    return replace(state, green=green, alarms=(alarm,))


def test_alarm_from_before_the_fix_was_deployed_does_not_block_it(ops: BlueGreen) -> None:
    gate = idle_alarms_gate(idle_with_alarm(ops, -5, deployed=True), Policy())
    assert gate.passed
    assert gate.detail == (
        "in ALARM before this version was deployed, about an earlier one: "
        "payments-api-green-errors (since 02:55)"
    )


def test_alarm_after_the_deploy_blocks(ops: BlueGreen) -> None:
    gate = idle_alarms_gate(idle_with_alarm(ops, 1, deployed=True), Policy())
    assert not gate.passed
    assert gate.detail == "in ALARM: payments-api-green-errors"


def test_alarm_of_unknown_age_or_unknown_deploy_blocks(ops: BlueGreen) -> None:
    assert not idle_alarms_gate(idle_with_alarm(ops, None, deployed=True), Policy()).passed
    assert not idle_alarms_gate(idle_with_alarm(ops, -5, deployed=False), Policy()).passed


def test_the_live_version_s_alarm_never_blocks_promoting_the_fix(ops: BlueGreen) -> None:
    state = ops.catalog.read(ops.catalog.find("payments-api"))
    live_alarm = AlarmState("payments-api-live-errors", "ALARM", "live", "errors", since=NOW)
    blue_alarm = AlarmState("payments-api-blue-errors", "ALARM", "blue", "errors", since=NOW)
    gates = promote_gates(
        replace(state, alarms=(live_alarm, blue_alarm)), None, "CHG-1", Policy(), NOW
    )
    alarm_gate = next(g for g in gates if g.name == "idle-alarms")
    assert alarm_gate.passed, alarm_gate.detail
