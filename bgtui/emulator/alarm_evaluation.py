"""Alarm evaluation in the emulator: read alarms, fetch their data in one call, set states."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bgtui.emulator.alarm_actions import LambdaAlarmActions
from bgtui.emulator.alarm_rules import AlarmRule
from bgtui.emulator.clients import EmulatorClients

MAX_QUERIES_PER_CALL = 500
Points = dict[datetime, float]


class AlarmEvaluator:
    """Does what CloudWatch would do and moto does not: moves alarms by their metric data."""

    def __init__(self, clients: EmulatorClients) -> None:
        self._cloudwatch = clients.cloudwatch
        self._actions = LambdaAlarmActions(clients)
        self._described: dict[str, Mapping[str, Any]] = {}
        self.action_answers: list[dict[str, str]] = []
        """What the alarm actions run by the last `evaluate` answered."""

    def evaluate(self, prefixes: Sequence[str], now: datetime) -> dict[str, str]:
        """Set every alarm named with one of `prefixes` to the state its data calls for.

        Returns the alarms whose state was written, with that state.
        """
        rules = self.rules(tuple(prefixes))
        if not rules:
            return {}
        points = self._points(rules, now)
        written: dict[str, str] = {}
        self.action_answers = []
        for index, rule in enumerate(rules):
            verdict = rule.evaluate(points.get(f"a{index}", {}), now)
            if verdict is None or (verdict.state == rule.state and not rule.never_evaluated):
                continue
            self._cloudwatch.set_alarm_state(
                AlarmName=rule.name, StateValue=verdict.state, StateReason=verdict.reason
            )
            written[rule.name] = verdict.state
            if verdict.state != rule.state:
                # As CloudWatch does: actions run on a change of state, not on every evaluation.
                described = self._described[rule.name]
                self.action_answers += self._actions.fire(
                    described, verdict.state, verdict.reason, now
                )
        return written

    def rules(self, prefixes: tuple[str, ...]) -> list[AlarmRule]:
        found = []
        pages = self._cloudwatch.get_paginator("describe_alarms").paginate(
            AlarmTypes=["MetricAlarm"]
        )
        for page in pages:
            for alarm in page.get("MetricAlarms", []):
                self._described[alarm["AlarmName"]] = alarm
                rule = (
                    AlarmRule.from_api(alarm) if alarm["AlarmName"].startswith(prefixes) else None
                )
                if rule is not None:
                    found.append(rule)
        return found

    def _points(self, rules: Sequence[AlarmRule], now: datetime) -> dict[str, Points]:
        starts = [p for rule in rules for p in rule.periods(now)]
        end = max(starts) + timedelta(seconds=max(r.period for r in rules))
        queries = [rule.query(f"a{i}") for i, rule in enumerate(rules)]
        points: dict[str, Points] = {}
        for offset in range(0, len(queries), MAX_QUERIES_PER_CALL):
            answer = self._cloudwatch.get_metric_data(
                MetricDataQueries=queries[offset : offset + MAX_QUERIES_PER_CALL],
                StartTime=min(starts),
                EndTime=end,
                ScanBy="TimestampAscending",
            )
            for result in answer["MetricDataResults"]:
                # Aware datetimes compare by instant, whatever zone botocore parsed them into.
                points[result["Id"]] = dict(
                    zip(result["Timestamps"], result["Values"], strict=True)
                )
        return points
