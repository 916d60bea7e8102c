"""Reading and following one Lambda version's logs: FilterLogEvents by stream prefix, Live Tail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bgtui.adapters.aws.lambda_logs import LambdaLogs
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import NotFound
from bgtui.core.logs import LineKind, event_lines
from bgtui.demo.traffic import TrafficGenerator
from tests.adapters.conftest import Sleeps, Stub

AT = datetime(2026, 12, 1, 23, 58, tzinfo=UTC)


def _window(now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(minutes=15), now


def test_the_broken_candidates_traceback_and_not_the_other_colours_lines(
    demo: AwsContext, demo_traffic: TrafficGenerator
) -> None:
    """ledger-writer: blue 2 (live, healthy), green 3 (the broken candidate, KeyError)."""
    now = datetime.now(UTC)
    logs = LambdaLogs(demo)
    green = logs.history("ledger-writer", "3", *_window(now))
    blue = logs.history("ledger-writer", "2", *_window(now))
    assert green and blue
    assert {event.version for event in green} == {"3"}
    assert {event.version for event in blue} == {"2"}
    green_text = "\n".join(event.message for event in green)
    assert "Traceback (most recent call last):" in green_text
    assert "KeyError: 'amount'" in green_text
    assert not any("order accepted" in event.message for event in green)
    assert not any("Traceback" in event.message for event in blue)
    kinds = {line.kind for _, line in event_lines(green)}
    assert {LineKind.ERROR, LineKind.TRACE} <= kinds
    stamps = [event.timestamp for event in green]
    assert stamps == sorted(stamps)


def test_a_function_never_invoked_has_no_log_group(emulated: AwsContext) -> None:
    with pytest.raises(NotFound) as caught:
        LambdaLogs(emulated).history("never-invoked", "1", *_window(datetime.now(UTC)))
    assert caught.value.exit_code == 4
    assert "never-invoked" in str(caught.value)


def test_following_polls_and_yields_each_new_event_once(
    demo: AwsContext, demo_traffic: TrafficGenerator, sleeps: Sleeps
) -> None:
    """Without Live Tail (the emulator) following polls FilterLogEvents after a pause."""
    clients = demo.client("logs")
    logs = LambdaLogs(demo, sleep=sleeps, poll_interval_s=5.0)
    batches: list[list[Any]] = []
    stream = logs.follow(
        "ledger-writer", "3", datetime.now(UTC) - timedelta(minutes=5), lambda: len(batches) >= 3
    )
    first = next(stream)
    batches.append(first)
    assert first, "the recent history comes first"
    name = first[-1].stream
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    clients.put_log_events(
        logGroupName="/aws/lambda/ledger-writer",
        logStreamName=name,
        logEvents=[{"timestamp": now_ms, "message": "[ERROR] KeyError: 'currency'"}],
    )
    batches.append(next(stream))
    batches.append(next(stream))
    assert [e.message for e in batches[1]] == ["[ERROR] KeyError: 'currency'"]
    assert batches[2] == []
    assert sleeps.delays == [5.0, 5.0]
    assert list(stream) == []


def test_history_pages_through_next_token_one_prefix_per_day(aws: AwsContext, stub: Stub) -> None:
    """FilterLogEvents takes one logStreamNamePrefix (botocore's logs service model), pages with
    nextToken; a window across midnight UTC asks each day's prefix."""
    logs = stub("logs")
    start, end = AT - timedelta(minutes=5), AT + timedelta(minutes=5)
    base = {
        "logGroupName": "/aws/lambda/fn",
        "startTime": int(start.timestamp() * 1000),
        "endTime": int(end.timestamp() * 1000),
    }
    event = {
        "logStreamName": "2026/12/01/[4]a",
        "timestamp": int(AT.timestamp() * 1000),
        "message": "one",
        "eventId": "1",
    }
    later = {
        **event,
        "logStreamName": "2026/12/02/[4]b",
        "message": "two",
        "eventId": "2",
        "timestamp": int(AT.timestamp() * 1000) + 300_000,
    }
    logs.add_response(
        "filter_log_events",
        {"events": [event], "nextToken": "t1"},
        {**base, "logStreamNamePrefix": "2026/12/01/[4]"},
    )
    logs.add_response(
        "filter_log_events",
        {"events": []},
        {**base, "logStreamNamePrefix": "2026/12/01/[4]", "nextToken": "t1"},
    )
    logs.add_response(
        "filter_log_events", {"events": [later]}, {**base, "logStreamNamePrefix": "2026/12/02/[4]"}
    )
    found = LambdaLogs(aws).history("fn", "4", start, end)
    assert [e.message for e in found] == ["one", "two"]


class _FakeStream:
    """A Live Tail response stream: the updates given, then the end of the session."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.closed = False

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.items)

    def close(self) -> None:
        self.closed = True


def test_live_tail_on_aws_reopens_at_midnight_with_the_new_days_prefix(
    aws: AwsContext, stub: Stub
) -> None:
    """StartLiveTail (botocore's logs model: logStreamNamePrefixes with one log group ARN) is
    used on AWS; the prefix holds the date, so a session is reopened at midnight UTC."""
    client = aws.client("logs")
    stub("logs").add_response("filter_log_events", {"events": []})
    opened: list[dict[str, Any]] = []
    streams: list[_FakeStream] = []

    def start_live_tail(**request: Any) -> dict[str, Any]:
        opened.append(request)
        update = {
            "sessionUpdate": {
                "sessionResults": [
                    {
                        "logStreamName": request["logStreamNamePrefixes"][0] + "x",
                        "timestamp": int(AT.timestamp() * 1000),
                        "message": f"event {len(opened)}",
                    }
                ]
            }
        }
        streams.append(_FakeStream([{"sessionStart": {}}, update]))
        return {"responseStream": streams[-1]}

    client.start_live_tail = start_live_tail
    batches: list[list[Any]] = []

    def clock() -> datetime:
        return AT + timedelta(minutes=3) if batches else AT

    logs = LambdaLogs(aws, account=lambda: "123456789012", clock=clock)
    for batch in logs.follow("fn", "4", AT - timedelta(minutes=1), lambda: len(batches) >= 2):
        if batch:
            batches.append(batch)
    assert [e.message for batch in batches for e in batch] == ["event 1", "event 2"]
    assert [r["logStreamNamePrefixes"] for r in opened] == [["2026/12/01/[4]"], ["2026/12/02/[4]"]]
    assert opened[0]["logGroupIdentifiers"] == [
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn"
    ]
    assert all(stream.closed for stream in streams)


def test_live_tail_refused_falls_back_to_polling_without_repeating_what_was_shown(
    aws: AwsContext, stub: Stub, sleeps: Sleeps
) -> None:
    """A role without logs:StartLiveTail (AccessDeniedException, one of StartLiveTail's errors in
    botocore's logs model) still reads: following polls FilterLogEvents instead."""
    from botocore.exceptions import ClientError

    client = aws.client("logs")
    logs_stub = stub("logs")
    event = {
        "logStreamName": "2026/12/01/[4]a",
        "timestamp": int(AT.timestamp() * 1000),
        "message": "shown once",
        "eventId": "1",
    }
    logs_stub.add_response("filter_log_events", {"events": [event]})
    logs_stub.add_response("filter_log_events", {"events": [event]})

    def refused(**_: Any) -> dict[str, Any]:
        denied = {"Error": {"Code": "AccessDeniedException", "Message": "not authorized"}}
        raise ClientError(denied, "StartLiveTail")

    client.start_live_tail = refused
    logs = LambdaLogs(aws, account=lambda: "123456789012", clock=lambda: AT, sleep=sleeps)
    batches: list[list[Any]] = []
    for batch in logs.follow("fn", "4", AT - timedelta(minutes=1), lambda: len(batches) >= 2):
        batches.append(batch)
    assert [[e.message for e in batch] for batch in batches] == [["shown once"], []]
    assert logs.live_tail is False
