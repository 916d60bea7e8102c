"""Alarm evaluation from metric data, as CloudWatch would evaluate it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bgtui.emulator.alarm_rules import AlarmRule

NOW = datetime(2026, 11, 28, 3, 10, 25, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _alarm(**changes: object) -> dict[str, object]:
    alarm = {
        "AlarmName": "fn-green-errors",
        "Namespace": "AWS/Lambda",
        "MetricName": "Errors",
        "Dimensions": [{"Name": "FunctionName", "Value": "fn"}],
        "Statistic": "Sum",
        "Period": 60,
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 2,
        "Threshold": 5.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
        "StateValue": "OK",
        "StateReason": "Unchecked: Initial alarm creation",
    }
    return alarm | changes


def _rule(**changes: object) -> AlarmRule:
    rule = AlarmRule.from_api(_alarm(**changes))
    assert rule is not None
    return rule


def _points(*values: float | None) -> dict[datetime, float]:
    periods = _rule().periods(NOW)
    return {at: v for at, v in zip(periods, values, strict=True) if v is not None}


def test_the_last_complete_periods_are_evaluated() -> None:
    start = datetime(2026, 11, 28, 3, 7, tzinfo=UTC)
    assert _rule().periods(NOW) == [start, start + MINUTE, start + 2 * MINUTE]


@pytest.mark.parametrize(
    ("values", "state"),
    [((7, 8, 2), "ALARM"), ((7, 1, 2), "OK"), ((None, 9, 9), "ALARM"), ((5, 5, 5), "OK")],
)
def test_datapoints_to_alarm_decide(values: tuple[float | None, ...], state: str) -> None:
    verdict = _rule().evaluate(_points(*values), NOW)
    assert verdict is not None and verdict.state == state


def test_the_reason_names_the_datapoints_and_threshold() -> None:
    verdict = _rule().evaluate(_points(7, 8, 2), NOW)
    assert verdict is not None
    assert verdict.reason == (
        "Threshold Crossed: 2 out of the last 3 datapoints [7, 8, 2] "
        "were greater than the threshold (5)."
    )


@pytest.mark.parametrize(
    ("treat", "state"),
    [("notBreaching", "OK"), ("breaching", "ALARM"), ("missing", "INSUFFICIENT_DATA")],
)
def test_missing_data_treatments(treat: str, state: str) -> None:
    verdict = _rule(TreatMissingData=treat).evaluate({}, NOW)
    assert verdict is not None and verdict.state == state


def test_ignore_keeps_the_state_when_there_is_no_data() -> None:
    assert _rule(TreatMissingData="ignore").evaluate({}, NOW) is None


def test_percentile_alarms_and_other_comparisons() -> None:
    rule = _rule(
        Statistic=None,
        ExtendedStatistic="p99",
        ComparisonOperator="LessThanOrEqualToThreshold",
        Threshold=100.0,
        EvaluationPeriods=1,
        DatapointsToAlarm=None,
    )
    assert rule.stat == "p99" and rule.datapoints_to_alarm == 1
    last = rule.periods(NOW)[-1]
    verdict = rule.evaluate({last: 100.0}, NOW)
    assert verdict is not None and verdict.state == "ALARM"
    assert rule.query("a0")["MetricStat"]["Stat"] == "p99"


def test_alarms_it_cannot_evaluate_are_left_out() -> None:
    assert AlarmRule.from_api(_alarm(MetricName=None, Metrics=[{"Id": "m"}])) is None
    assert AlarmRule.from_api(_alarm(ComparisonOperator="LessThanLowerThreshold")) is None


def test_an_alarm_never_evaluated_is_known() -> None:
    assert _rule().never_evaluated
    assert not _rule(StateReason="Threshold Crossed: ...").never_evaluated
