"""Figure 11: the guard — an emulator alarm entering ALARM → the guard's rollback verified."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from bgtui.demo.guard_stack import provision_guard
from bgtui.demo.stack import ProvisionedService, provision_service
from bgtui.emulator.alarm_evaluation import AlarmEvaluator
from bgtui.emulator.clients import EmulatorClients
from tests.bench.figures import Figure, at_most, figure
from tests.bench.world import BenchConfig, BenchWorld

FUNCTION = "bench-guarded"
# A fixed evaluation time: the alarm reads the three minutes before it.
NOW = datetime(2026, 12, 1, 14, 25, tzinfo=UTC)


class GuardDidNotAct(RuntimeError):
    """The alarm fired but live was not rolled back."""


def arm(clients: EmulatorClients, service: ProvisionedService) -> None:
    """Green live with a watch window open, and the live errors alarm back to OK."""
    live = clients.lambda_.get_alias(FunctionName=FUNCTION, Name="live")
    record = {
        "schema": "bgtui/live-v1",
        "live": "green",
        "previous": {"colour": "blue", "version": service.blue},
        "watch": (NOW + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    clients.lambda_.update_alias(
        FunctionName=FUNCTION,
        Name="live",
        FunctionVersion=service.green,
        Description=json.dumps(record, separators=(",", ":"), sort_keys=True),
        RevisionId=live["RevisionId"],
    )
    clients.cloudwatch.set_alarm_state(
        AlarmName=f"{FUNCTION}-live-errors", StateValue="OK", StateReason="bench re-arm"
    )


def breach(clients: EmulatorClients) -> None:
    dimensions = [
        {"Name": "FunctionName", "Value": FUNCTION},
        {"Name": "Resource", "Value": f"{FUNCTION}:live"},
    ]
    clients.cloudwatch.put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Errors",
                "Dimensions": dimensions,
                "Timestamp": NOW - timedelta(minutes=m),
                "Value": 20.0,
            }
            for m in (1, 2, 3)
        ],
    )


def timed_guard(clients: EmulatorClients, service: ProvisionedService) -> float:
    arm(clients, service)
    evaluator = AlarmEvaluator(clients)
    started = time.perf_counter()
    evaluator.evaluate([f"{FUNCTION}-live-errors"], NOW)
    elapsed = time.perf_counter() - started
    answers = [a["action"] for a in evaluator.action_answers]
    live = clients.lambda_.get_alias(FunctionName=FUNCTION, Name="live")
    if answers != ["rolled-back"] or live["FunctionVersion"] != service.blue:
        raise GuardDidNotAct(f"guard answered {answers}, live is v{live['FunctionVersion']}")
    return elapsed


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    clients = EmulatorClients(world.url, world.region())
    service = provision_service(clients, FUNCTION, region=clients.region)
    provision_guard(clients, FUNCTION, service.api_id)
    breach(clients)
    samples = [timed_guard(clients, service) * 1000 for _ in range(config.runs)]
    return [
        figure(
            "guard.time",
            "11. guard: emulator alarm → rollback verified",
            samples,
            "ms",
            at_most(2000),
            "DescribeAlarms → GetMetricData → SetAlarmState → guard: GetAlias → UpdateAlias → "
            "GetAlias (verified); then colour check, test stage, audit",
        )
    ]
