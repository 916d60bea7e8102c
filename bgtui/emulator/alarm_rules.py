"""CloudWatch alarm evaluation over metric data: threshold, datapoints to alarm, missing data."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.literals import StateValueType
    from mypy_boto3_cloudwatch.type_defs import (
        MetricDataQueryTypeDef,
        MetricStatTypeDef,
        MetricTypeDef,
    )

_COMPARE: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "GreaterThanThreshold": (operator.gt, "greater than"),
    "GreaterThanOrEqualToThreshold": (operator.ge, "greater than or equal to"),
    "LessThanThreshold": (operator.lt, "less than"),
    "LessThanOrEqualToThreshold": (operator.le, "less than or equal to"),
}


@dataclass(frozen=True)
class Verdict:
    """The state an alarm should be in, and why (in CloudWatch's wording)."""

    state: StateValueType
    reason: str


@dataclass(frozen=True)
class AlarmRule:
    """A single-metric alarm as DescribeAlarms returns it."""

    name: str
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison: str
    treat_missing: str
    state: str
    reason: str = ""

    @property
    def never_evaluated(self) -> bool:
        return self.reason.startswith("Unchecked")

    @classmethod
    def from_api(cls, alarm: Mapping[str, Any]) -> AlarmRule | None:
        """None for alarms this evaluator does not handle (metric math, anomaly bands)."""
        stat = alarm.get("Statistic") or alarm.get("ExtendedStatistic")
        if (
            not alarm.get("MetricName")
            or not stat
            or alarm.get("ComparisonOperator") not in _COMPARE
        ):
            return None
        periods = int(alarm.get("EvaluationPeriods") or 1)
        return cls(
            name=alarm["AlarmName"],
            namespace=alarm.get("Namespace", ""),
            metric=alarm["MetricName"],
            dimensions=tuple((d["Name"], d["Value"]) for d in alarm.get("Dimensions", [])),
            stat=stat,
            period=int(alarm.get("Period") or 60),
            evaluation_periods=periods,
            datapoints_to_alarm=int(alarm.get("DatapointsToAlarm") or periods),
            threshold=float(alarm.get("Threshold", 0.0)),
            comparison=alarm["ComparisonOperator"],
            treat_missing=alarm.get("TreatMissingData") or "missing",
            state=alarm.get("StateValue", "INSUFFICIENT_DATA"),
            reason=alarm.get("StateReason", ""),
        )

    def periods(self, now: datetime) -> list[datetime]:
        """Starts of the evaluated periods: the last complete ones before `now`, oldest first."""
        seconds = now.timestamp()
        end = datetime.fromtimestamp(seconds - seconds % self.period, now.tzinfo)
        step = timedelta(seconds=self.period)
        return [end - step * (self.evaluation_periods - i) for i in range(self.evaluation_periods)]

    def query(self, query_id: str) -> MetricDataQueryTypeDef:
        metric: MetricTypeDef = {
            "Namespace": self.namespace,
            "MetricName": self.metric,
            "Dimensions": [{"Name": n, "Value": v} for n, v in self.dimensions],
        }
        stat: MetricStatTypeDef = {"Metric": metric, "Period": self.period, "Stat": self.stat}
        return {"Id": query_id, "MetricStat": stat, "ReturnData": True}

    def evaluate(self, points: Mapping[datetime, float], now: datetime) -> Verdict | None:
        """The state the data calls for; None when the alarm should keep its state."""
        values = [points.get(start) for start in self.periods(now)]
        present = [v for v in values if v is not None]
        if not present and self.treat_missing in ("missing", "ignore"):
            if self.treat_missing == "ignore":
                return None
            return Verdict("INSUFFICIENT_DATA", "Insufficient Data: no datapoints were received.")
        compare, wording = _COMPARE[self.comparison]
        breaching = sum(
            compare(v, self.threshold) if v is not None else self._missing_breaches for v in values
        )
        state: StateValueType = "ALARM" if breaching >= self.datapoints_to_alarm else "OK"
        shown = ", ".join(_number(v) for v in present) or "none"
        reason = (
            f"Threshold Crossed: {breaching} out of the last {len(values)} datapoints "
            f"[{shown}] were {wording} the threshold ({_number(self.threshold)})."
        )
        return Verdict(state, reason)

    @property
    def _missing_breaches(self) -> bool:
        return self.treat_missing == "breaching"


def _number(value: float) -> str:
    return str(int(value)) if math.isfinite(value) and value == int(value) else f"{value:.1f}"
