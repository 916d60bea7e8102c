"""The logs of one version: stream prefixes, the `--since` window, error and traceback marks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bgtui.core.errors import BadInput
from bgtui.core.logs import (
    LineKind,
    LogEvent,
    days_between,
    event_lines,
    log_group,
    mark_lines,
    matches,
    next_midnight,
    parse_since,
    stream_prefix,
)

AT = datetime(2026, 12, 1, 23, 50, tzinfo=UTC)


def test_stream_prefix_is_lambdas_date_and_bracketed_version() -> None:
    """Lambda names streams `YYYY/MM/DD/[VERSION]<environment id>` (AWS Lambda operator guide,
    "How CloudWatch structures logs"; the demo and AWS both write `2026/12/01/[3]…`)."""
    assert stream_prefix(AT, "3") == "2026/12/01/[3]"
    assert stream_prefix(AT, "$LATEST") == "2026/12/01/[$LATEST]"
    assert not "2026/12/01/[12]abc".startswith(stream_prefix(AT, "1"))
    assert log_group("payments-api") == "/aws/lambda/payments-api"


def test_a_window_across_midnight_reads_both_days_and_a_tail_reopens_at_midnight() -> None:
    days = days_between(AT - timedelta(minutes=15), AT + timedelta(minutes=15))
    assert [f"{d:%Y/%m/%d}" for d in days] == ["2026/12/01", "2026/12/02"]
    assert next_midnight(AT) == datetime(2026, 12, 2, tzinfo=UTC)
    naive = datetime(2026, 12, 1, 12)
    assert days_between(naive, naive) == [datetime(2026, 12, 1, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        (" 30S ", timedelta(seconds=30)),
    ],
)
def test_since_reads_a_number_and_a_unit(text: str, window: timedelta) -> None:
    assert parse_since(text) == window


@pytest.mark.parametrize("text", ["", "15", "m", "-5m", "1.5h", "0m", "31d", "15 minutes", "1w"])
def test_since_refuses_anything_else_as_bad_input(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_since(text)
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def test_a_traceback_is_grouped_from_its_header_to_its_exception() -> None:
    lines = [
        "START RequestId: r1 Version: 3",
        "[ERROR] KeyError: 'amount'",
        "Traceback (most recent call last):",
        '  File "/var/task/index.py", line 9, in handler',
        "    return process(event)",
        "KeyError: 'amount'",
        "END RequestId: r1",
    ]
    kinds = [line.kind for line in mark_lines(lines)]
    assert kinds == [
        LineKind.NORMAL,
        LineKind.ERROR,
        LineKind.ERROR,
        LineKind.TRACE,
        LineKind.TRACE,
        LineKind.TRACE,
        LineKind.NORMAL,
    ]


def test_errors_are_marked_by_word_and_symbol_not_only_colour() -> None:
    normal, error, trace = mark_lines(["ok", "[ERROR] boom", "Traceback (most recent call last):"])
    assert error.shown.startswith("✖ ERROR ")
    assert trace.shown.startswith("✖ ERROR Traceback")
    assert normal.shown == "  ok"
    (frame,) = list(mark_lines(["Traceback (most recent call last):", "  File x"]))[1:]
    assert frame.shown == "│   File x"


def test_event_lines_split_multi_line_events_and_keep_their_event() -> None:
    first = LogEvent(
        AT,
        "2026/12/01/[3]abc",
        "[ERROR] KeyError: 'amount'\nTraceback (most "
        "recent call last):\n  File x\nKeyError: 'amount'\n",
        "e1",
    )
    second = LogEvent(AT, "2026/12/01/[3]abc", "END RequestId: r1", "e2")
    pairs = list(event_lines([first, second]))
    assert [event.event_id for event, _ in pairs] == ["e1"] * 4 + ["e2"]
    assert pairs[-1][1].kind is LineKind.NORMAL
    assert first.version == "3"
    assert LogEvent(AT, "host/2026-12-01", "x").version == ""


def test_filter_is_a_case_insensitive_substring() -> None:
    event = LogEvent(AT, "s", "[ERROR] KeyError: 'amount'")
    assert matches(event, "keyerror")
    assert matches(event, "")
    assert not matches(event, "timeout")
    assert event.to_json()["timestamp"] == "2026-12-01T23:50:00+00:00"
