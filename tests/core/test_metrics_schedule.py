"""What one metrics refresh asks for, when the console asks, and what that costs per day.

GetMetricData is billed per metric requested, $0.01 per 1,000, with no free tier (CloudWatch
pricing, https://aws.amazon.com/cloudwatch/pricing/); it takes at most 500 queries per call
(GetMetricData API reference, MetricDataQueries). Lambda's metrics have one-minute resolution.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bgtui.core.metrics import plan_refresh
from bgtui.core.metrics_schedule import (
    USD_PER_METRIC_REQUESTED,
    MetricsDue,
    MetricsSchedule,
    slot_start,
    usd_for,
)
from bgtui.core.models import AliasState, Colour, LiveRecord, ServiceRef, ServiceState

T0 = datetime(2026, 11, 28, 3, 0, 30, tzinfo=UTC)


def service(name: str, live: Colour | None = Colour.BLUE) -> ServiceState:
    record = LiveRecord(colour=live).to_description() if live else ""
    live_alias = AliasState("live", "2" if live is Colour.BLUE else "3", "r3", record)
    return ServiceState(
        ref=ServiceRef(function=name, region="eu-west-1"),
        blue=AliasState("blue", "2", "r1"),
        green=AliasState("green", "3", "r2"),
        live=live_alias if live else None,
    )


def test_the_price_is_a_cent_per_thousand_metrics() -> None:
    assert usd_for(1000) == pytest.approx(0.01) == USD_PER_METRIC_REQUESTED * 1000
    assert usd_for(100_000) == pytest.approx(1.0)


def test_a_full_plan_is_every_series_and_a_glance_is_the_live_colours_production_traffic() -> None:
    states = [service("payments"), service("ledger", live=Colour.GREEN)]
    plan = plan_refresh(states, {"payments": "payments-api", "ledger": "ledger-api"}, {"payments"})
    mine = [k for k in plan.keys.values() if k.function == "payments"]
    glance = [k for k in plan.keys.values() if k.function == "ledger"]
    assert len(mine) == 2 * 2 * 4 + 2 * 4
    assert {(k.group, k.traffic, k.metric) for k in glance} == {
        ("green", "prod", "invocations"),
        ("green", "prod", "errors"),
        ("green", "prod", "p99"),
    }
    by_id = {q.id: q for q in plan.queries}
    executed = {dict(by_id[i].dimensions).get("ExecutedVersion") for i, k in plan.keys.items()}
    assert "3" in executed, "the glance reads the live colour's version"


def test_a_glance_without_a_live_colour_looks_at_both() -> None:
    plan = plan_refresh([service("orphan", live=None)], {}, full=())
    assert {k.group for k in plan.keys.values()} == {"blue", "green"}


def test_no_service_is_dropped_past_five_hundred_queries() -> None:
    states = [service(f"fn{n:02d}") for n in range(30)]
    plan = plan_refresh(states, {s.ref.function: f"{s.ref.function}-api" for s in states})
    assert len(plan.queries) == 30 * 24 > 500
    assert {k.function for k in plan.keys.values()} == {s.ref.function for s in states}
    assert len({q.id for q in plan.queries}) == len(plan.queries)


@pytest.mark.parametrize(
    ("now", "start"),
    [
        ("03:00:30", "03:00:20"),
        ("03:00:20", "03:00:20"),
        ("03:00:19", "02:59:20"),
        ("03:04:59", "03:04:20"),
    ],
)
def test_a_minute_slot_starts_twenty_seconds_after_the_minute(now: str, start: str) -> None:
    day = "2026-11-28T"
    at = datetime.fromisoformat(f"{day}{now}+00:00")
    assert slot_start(at, timedelta(minutes=1)) == datetime.fromisoformat(f"{day}{start}+00:00")


def test_nothing_on_screen_yet_means_everything_read() -> None:
    due = MetricsSchedule().due(T0, "", ())
    assert due.everything and due
    assert due.pick(["a", "b"]) == (["a", "b"], {"a", "b"})


def test_the_selected_service_once_a_minute_the_others_every_five() -> None:
    schedule = MetricsSchedule()
    first = schedule.due(T0, "a", ("a", "b", "c"))
    assert first == MetricsDue(("a",), ("b", "c"))
    schedule.asked(first, T0)
    asked: list[MetricsDue] = []
    now = T0
    for _ in range(12 * 10):  # ten minutes of five-second ticks
        now += timedelta(seconds=5)
        due = schedule.due(now, "a", ("a", "b", "c"))
        if due:
            schedule.asked(due, now)
            asked.append(due)
    assert len([d for d in asked if d.full == ("a",)]) == 10
    assert len([d for d in asked if d.glance == ("b", "c")]) == 2
    assert sum(len(d.full) * 24 + len(d.glance) * 3 for d in asked) == 10 * 24 + 2 * 2 * 3


def test_on_demand_fetches_the_selected_service_now() -> None:
    schedule = MetricsSchedule()
    schedule.asked(MetricsDue(("a",), ("b",)), T0)
    assert not schedule.due(T0, "a", ("a", "b"))
    assert schedule.due(T0, "a", ("a", "b"), now_wanted=True) == MetricsDue(("a",))


def test_a_glance_replaces_the_full_window_so_reselecting_reads_it_all() -> None:
    schedule = MetricsSchedule()
    schedule.asked(MetricsDue(("a",)), T0)
    assert not schedule.wants_full("a", T0)
    schedule.asked(MetricsDue(glance=("a",)), T0)
    assert schedule.wants_full("a", T0)
    assert schedule.due(T0, "a", ("a",)) == MetricsDue(("a",))


def test_forget_makes_everything_due_again() -> None:
    schedule = MetricsSchedule()
    schedule.asked(MetricsDue(("a",), ("b",)), T0)
    schedule.forget()
    assert schedule.due(T0, "a", ("a", "b")) == MetricsDue(("a",), ("b",))


def test_a_console_day_of_twenty_services_is_within_a_dollar() -> None:
    """20 services on screen, one selected, for 24 hours of five-second ticks."""
    on_screen = tuple(f"fn{n:02d}" for n in range(20))
    schedule, now, metrics = MetricsSchedule(), T0, 0
    for _ in range(24 * 60 * 12):
        due = schedule.due(now, on_screen[0], on_screen)
        schedule.asked(due, now)
        metrics += len(due.full) * 24 + len(due.glance) * 3
        now += timedelta(seconds=5)
    # The first read, then one per minute (full) and per five minutes (glance) for a day.
    assert metrics == 24 * (1 + 1440) + 19 * 3 * (1 + 288)
    assert usd_for(metrics) < 1.0


def test_the_first_read_of_everything_counts_as_full_while_it_is_in_flight() -> None:
    """A row selected before the first read's answer arrives does not ask for it again (the
    console's first selection raced the first answer and read every alias twice)."""
    schedule = MetricsSchedule()
    schedule.asked(schedule.due(T0, "", ()), T0)
    assert not schedule.wants_full("a", T0)
    assert schedule.wants_full("a", T0 + timedelta(minutes=1))
    schedule.asked(MetricsDue(glance=("a",)), T0)
    assert schedule.wants_full("a", T0)
    schedule.forget()
    assert schedule.wants_full("b", T0)
