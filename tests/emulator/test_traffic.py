"""The traffic generator: back-fill, minute by minute, swaps, runtime faults and alarms."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bgtui.demo.stack import provision_service
from bgtui.demo.traffic import (
    MAX_DATUMS_PER_CALL,
    MAX_VALUES_PER_CALL,
    TrafficGenerator,
    _batches,
)
from bgtui.demo.traffic_model import Datum
from bgtui.emulator.clients import EmulatorClients
from tests.emulator_fixtures import DemoStack

START = datetime(2026, 1, 5, 10, 0, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += minutes * MINUTE


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _generator(url: str, clock: Clock, backfill_minutes: int = 10) -> TrafficGenerator:
    return TrafficGenerator(
        url, clock=clock, rng=random.Random(11), backfill_minutes=backfill_minutes
    )


def _series(
    clients: EmulatorClients, dims: list[tuple[str, str]], metric: str, stat: str, clock: Clock
) -> dict[datetime, float]:
    query = {
        "Id": "q",
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/Lambda",
                "MetricName": metric,
                "Dimensions": [{"Name": n, "Value": v} for n, v in dims],
            },
            "Period": 60,
            "Stat": stat,
        },
    }
    answer = clients.cloudwatch.get_metric_data(
        MetricDataQueries=[query],
        StartTime=clock.now - 2 * timedelta(hours=1),
        EndTime=clock.now + MINUTE,
        ScanBy="TimestampAscending",
    )["MetricDataResults"][0]
    return {
        t.astimezone(UTC): v for t, v in zip(answer["Timestamps"], answer["Values"], strict=True)
    }


def _production(fn: str, version: str) -> list[tuple[str, str]]:
    return [("FunctionName", fn), ("Resource", f"{fn}:live"), ("ExecutedVersion", version)]


def _alarm_states(clients: EmulatorClients, prefix: str = "") -> dict[str, str]:
    filters = {"AlarmNamePrefix": prefix} if prefix else {}
    alarms = clients.cloudwatch.describe_alarms(**filters)["MetricAlarms"]
    return {a["AlarmName"]: a["StateValue"] for a in alarms}


def test_the_first_round_back_fills_an_hour_of_complete_minutes(
    demo_stack: DemoStack, clock: Clock
) -> None:
    report = _generator(demo_stack.endpoint_url, clock, backfill_minutes=60).tick()
    assert report.functions == ("fx-rates", "ledger-writer", "payments-api")
    assert report.minutes == 180 and report.datapoints == 180 * 24
    points = _series(
        demo_stack.clients(), _production("payments-api", "1"), "Invocations", "Sum", clock
    )
    minute = START.replace(second=0)
    assert sorted(points) == [minute - MINUTE * i for i in range(60, 0, -1)]
    assert all(30 <= v <= 140 for v in points.values())


def test_minutes_are_written_once_and_then_one_by_one(demo_stack: DemoStack, clock: Clock) -> None:
    traffic = _generator(demo_stack.endpoint_url, clock)
    traffic.tick()
    assert traffic.tick().minutes == 0
    clock.advance(2)
    report = traffic.tick()
    assert report.minutes == 6 and report.datapoints == 6 * 24


def test_alarms_follow_the_data_from_the_first_round(demo_stack: DemoStack, clock: Clock) -> None:
    report = _generator(demo_stack.endpoint_url, clock).tick()
    clients = demo_stack.clients()
    assert report.alarm_changes["ledger-writer-green-errors"] == "ALARM"
    states = _alarm_states(clients)
    assert [name for name, state in states.items() if state == "ALARM"] == [
        "ledger-writer-green-errors"
    ]
    reasons = [a["StateReason"] for a in clients.cloudwatch.describe_alarms()["MetricAlarms"]]
    assert not any(r.startswith("Unchecked") for r in reasons)


def test_production_follows_a_swap_to_the_broken_candidate(
    demo_stack: DemoStack, clock: Clock
) -> None:
    clients, traffic = demo_stack.clients(), _generator(demo_stack.endpoint_url, clock)
    traffic.tick()
    live = clients.lambda_.get_alias(FunctionName="ledger-writer", Name="live")
    clients.lambda_.update_alias(
        FunctionName="ledger-writer",
        Name="live",
        FunctionVersion="3",
        RevisionId=live["RevisionId"],
    )
    clock.advance(3)
    report = traffic.tick()
    broken = _series(clients, _production("ledger-writer", "3"), "Errors", "Sum", clock)
    calls = _series(clients, _production("ledger-writer", "3"), "Invocations", "Sum", clock)
    assert len(broken) == 3 and all(broken[m] / calls[m] >= 0.25 for m in broken)
    assert report.alarm_changes.get("ledger-writer-live-errors") == "ALARM"
    assert _series(clients, _production("ledger-writer", "2"), "Invocations", "Sum", clock)


def test_a_version_broken_at_runtime_raises_errors_and_alarms(
    demo_stack: DemoStack, clock: Clock
) -> None:
    clients, traffic = demo_stack.clients(), _generator(demo_stack.endpoint_url, clock)
    traffic.tick()
    assert not traffic.set_behaviour("payments-api", "1", healthy=False).healthy
    clock.advance(2)
    traffic.tick()
    assert _alarm_states(clients, "payments-api-live-")["payments-api-live-errors"] == "ALARM"
    answer = clients.lambda_.invoke(FunctionName="payments-api", Qualifier="live", Payload=b"{}")
    assert answer["FunctionError"] == "Unhandled"
    traffic.set_behaviour("payments-api", "1", healthy=True)
    clock.advance(3)
    traffic.tick()
    assert _alarm_states(clients, "payments-api-live-")["payments-api-live-errors"] == "OK"


def test_p99_latency_reflects_each_version(demo_stack: DemoStack, clock: Clock) -> None:
    clients = demo_stack.clients()
    _generator(demo_stack.endpoint_url, clock).tick()
    green = [("FunctionName", "ledger-writer"), ("Resource", "ledger-writer:green")]
    blue = [("FunctionName", "ledger-writer"), ("Resource", "ledger-writer:blue")]
    assert all(v >= 900 for v in _series(clients, green, "Duration", "p99", clock).values())
    assert all(100 <= v <= 270 for v in _series(clients, blue, "Duration", "p99", clock).values())


def test_a_service_created_later_gets_its_own_back_fill(clean_emulator: str, clock: Clock) -> None:
    provision_service(clean_emulator, "first")
    traffic = _generator(clean_emulator, clock)
    assert traffic.tick().minutes == 10
    provision_service(clean_emulator, "second")
    clock.advance(1)
    report = traffic.tick()
    assert report.functions == ("first", "second") and report.minutes == 1 + 10


def test_after_a_long_pause_at_most_the_back_fill_window_is_written(
    clean_emulator: str, clock: Clock
) -> None:
    provision_service(clean_emulator, "first")
    traffic = _generator(clean_emulator, clock)
    traffic.tick()
    clock.advance(180)
    assert traffic.tick().minutes == 10


def test_a_naive_clock_is_taken_as_utc(clean_emulator: str) -> None:
    provision_service(clean_emulator, "first")
    naive = START.replace(tzinfo=None)
    traffic = TrafficGenerator(clean_emulator, clock=lambda: naive, backfill_minutes=2)
    assert traffic.tick().minutes == 2
    clients = EmulatorClients(clean_emulator)
    points = _series(clients, _production("first", "1"), "Invocations", "Sum", Clock())
    assert sorted(points) == [START.replace(second=0) - MINUTE * i for i in (2, 1)]


def test_a_managed_function_without_aliases_is_tolerated(clean_emulator: str, clock: Clock) -> None:
    clients = EmulatorClients(clean_emulator)
    role = clients.iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    clients.lambda_.create_function(
        FunctionName="half-built",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        Tags={"bluegreen:managed": "true"},
    )
    report = _generator(clean_emulator, clock).tick()
    assert report.functions == ("half-built",) and report.datapoints == 0


def test_start_back_fills_at_once_and_stop_returns_promptly(demo_stack: DemoStack) -> None:
    traffic = TrafficGenerator(demo_stack.endpoint_url, rng=random.Random(3), backfill_minutes=5)
    first = traffic.start(interval_s=0.05)
    try:
        assert first.minutes == 15 and traffic.running
        time.sleep(0.2)
    finally:
        started = time.perf_counter()
        traffic.stop()
    assert time.perf_counter() - started < 2.0
    assert not traffic.running


def _datum(values: int) -> Datum:
    return Datum("AWS/Lambda", "Duration", (), START, (1.0,) * values, (1.0,) * values)


def test_batches_respect_cloudwatch_request_limits() -> None:
    many_small = [_datum(1) for _ in range(2500)]
    assert [len(b) for _, b in _batches(many_small)] == [MAX_DATUMS_PER_CALL] * 2 + [500]
    wide = [_datum(100) for _ in range(200)]
    sizes = [sum(len(d.values) for d in b) for _, b in _batches(wide)]
    assert all(size <= MAX_VALUES_PER_CALL for size in sizes) and sum(sizes) == 20_000
    mixed: list[Any] = [_datum(1), Datum("AWS/ApiGateway", "Count", (), START, (1.0,), (1.0,))]
    assert [ns for ns, _ in _batches(mixed)] == ["AWS/Lambda", "AWS/ApiGateway"]
