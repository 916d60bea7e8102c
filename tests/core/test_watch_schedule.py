"""Rows under a watch window get their glance every minute, in the console's one metrics call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bgtui.core.metrics_schedule import MetricsSchedule

T0 = datetime(2026, 11, 28, 3, 0, 30, tzinfo=UTC)
ROWS = ("payments-api", "ledger-writer", "fx-rates")


def test_a_watched_row_is_glanced_at_every_minute_the_others_every_five() -> None:
    schedule = MetricsSchedule()
    first = schedule.due(T0, "payments-api", ROWS)
    schedule.asked(first, T0)
    later = T0 + timedelta(minutes=1)
    plain = schedule.due(later, "payments-api", ROWS)
    watched = schedule.due(later, "payments-api", ROWS, watched={"fx-rates"})
    assert plain.glance == ()
    assert watched.glance == ("fx-rates",)
    assert watched.full == ("payments-api",)


def test_a_watched_row_is_not_asked_twice_in_one_minute() -> None:
    schedule = MetricsSchedule()
    schedule.asked(schedule.due(T0, "payments-api", ROWS), T0)
    later = T0 + timedelta(minutes=1)
    due = schedule.due(later, "payments-api", ROWS, watched={"fx-rates"})
    schedule.asked(due, later)
    again = schedule.due(later + timedelta(seconds=5), "payments-api", ROWS, watched={"fx-rates"})
    assert again.glance == ()
