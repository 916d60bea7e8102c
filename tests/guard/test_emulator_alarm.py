"""The emulator runs the guard: an alarm that the emulator moves to ALARM from its data invokes
the guard named in its actions in-process, with CloudWatch's Lambda-action event."""

from __future__ import annotations

from datetime import timedelta
from time import perf_counter

from bgtui.emulator.alarm_evaluation import AlarmEvaluator
from tests.guard.conftest import LIVE_ALARM, NOW, Guarded

BUDGET_SECONDS = 2.0


def put_live_errors(guarded: Guarded, per_minute: float) -> None:
    dimensions = [
        {"Name": "FunctionName", "Value": guarded.function},
        {"Name": "Resource", "Value": f"{guarded.function}:live"},
    ]
    guarded.clients.cloudwatch.put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Errors",
                "Dimensions": dimensions,
                "Timestamp": NOW - timedelta(minutes=minutes),
                "Value": per_minute,
                "Unit": "Count",
            }
            for minutes in (1, 2, 3)
        ],
    )


def test_a_live_alarm_entering_alarm_rolls_back_within_two_seconds(guarded: Guarded) -> None:
    guarded.promote_green()
    put_live_errors(guarded, 12.0)
    evaluator = AlarmEvaluator(guarded.clients)
    started = perf_counter()
    changed = evaluator.evaluate([f"{guarded.function}-live-"], NOW)
    live = guarded.live()
    elapsed = perf_counter() - started
    assert changed[LIVE_ALARM] == "ALARM"
    assert evaluator.action_answers == [
        {
            "action": "rolled-back",
            "detail": f"live rolled back to blue v{guarded.service.blue} "
            f"(was green v{guarded.service.green})",
        }
    ]
    assert live["FunctionVersion"] == guarded.service.blue
    assert elapsed <= BUDGET_SECONDS, f"alarm to verified rollback took {elapsed:.2f}s"
    (audit,) = guarded.audit_lines()
    assert "Threshold Crossed" in audit["measured"]
    # Still in ALARM on the next evaluation: no state change, no second invocation.
    assert evaluator.evaluate([f"{guarded.function}-live-"], NOW) == {}
    assert evaluator.action_answers == []


def test_alarms_without_a_lambda_action_invoke_nothing(guarded: Guarded) -> None:
    guarded.promote_green()
    put_live_errors(guarded, 12.0)
    blue = f"{guarded.function}-blue-errors"
    evaluator = AlarmEvaluator(guarded.clients)
    evaluator.evaluate([blue], NOW)
    assert evaluator.action_answers == []
    assert guarded.live()["FunctionVersion"] == guarded.service.green
