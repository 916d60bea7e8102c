"""CloudWatchAuditSink: one stream per host and day, events in order, batches within limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.stub import ANY

from bgtui.adapters.aws.logs import MAX_BATCH_EVENTS, CloudWatchAuditSink, event_batches
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import BadInput, NotFound, OperationFailed
from tests.adapters.conftest import Sleeps, Stub

GROUP = "/bgtui/audit/payments-api"
NOW = datetime(2026, 11, 28, 3, 4, 5, tzinfo=UTC).timestamp()
STREAM = "bastion-1/2026-11-28"


@pytest.fixture
def sink(aws: AwsContext, sleeps: Sleeps) -> CloudWatchAuditSink:
    return CloudWatchAuditSink(aws, sleep=sleeps, clock=lambda: NOW, host="bastion-1")


def test_ship_creates_todays_stream_and_puts_the_lines_in_order(
    sink: CloudWatchAuditSink, stub: Stub
) -> None:
    stub("logs").add_response(
        "create_log_stream", {}, {"logGroupName": GROUP, "logStreamName": STREAM}
    )
    stamp = int(NOW * 1000)
    stub("logs", write=True).add_response(
        "put_log_events",
        {"nextSequenceToken": "1"},
        {
            "logGroupName": GROUP,
            "logStreamName": STREAM,
            "logEvents": [
                {"timestamp": stamp, "message": '{"action":"promote","phase":"intent"}'},
                {"timestamp": stamp, "message": '{"action":"promote","phase":"outcome"}'},
            ],
        },
    )
    sink.ship(
        GROUP, ['{"action":"promote","phase":"intent"}', '{"action":"promote","phase":"outcome"}']
    )


def test_an_existing_stream_is_used_and_remembered(sink: CloudWatchAuditSink, stub: Stub) -> None:
    stub("logs").add_client_error(
        "create_log_stream", "ResourceAlreadyExistsException", "exists", 400
    )
    writes = stub("logs", write=True)
    writes.add_response(
        "put_log_events", {}, {"logGroupName": GROUP, "logStreamName": STREAM, "logEvents": ANY}
    )
    writes.add_response("put_log_events", {})
    sink.ship(GROUP, ["one"])
    sink.ship(GROUP, ["two"])


def test_a_missing_log_group_is_not_found(sink: CloudWatchAuditSink, stub: Stub) -> None:
    stub("logs").add_client_error(
        "create_log_stream", "ResourceNotFoundException", "The specified log group does not exist."
    )
    with pytest.raises(NotFound, match="/bgtui/audit/payments-api: not found"):
        sink.ship(GROUP, ["one"])


def test_rejected_events_are_reported(sink: CloudWatchAuditSink, stub: Stub) -> None:
    stub("logs").add_response("create_log_stream", {})
    stub("logs", write=True).add_response(
        "put_log_events", {"rejectedLogEventsInfo": {"tooOldLogEventEndIndex": 0}}
    )
    with pytest.raises(OperationFailed, match="rejected audit events"):
        sink.ship(GROUP, ["one"])


def test_nothing_to_ship_makes_no_call(sink: CloudWatchAuditSink, stub: Stub) -> None:
    stub("logs")
    sink.ship(GROUP, [])
    sink.ship(GROUP, ["", "  "])


def test_batches_hold_at_most_ten_thousand_events() -> None:
    events: list[dict[str, object]] = [{"timestamp": 1, "message": "x"}] * 25_000
    sizes = [len(batch) for batch in event_batches(events)]
    assert sizes == [MAX_BATCH_EVENTS, MAX_BATCH_EVENTS, 5_000]


def test_batches_hold_at_most_one_mebibyte() -> None:
    line = "y" * (100_000 - 26)
    events: list[dict[str, object]] = [{"timestamp": 1, "message": line}] * 25
    sizes = [len(batch) for batch in event_batches(events)]
    assert sizes == [10, 10, 5]


def test_an_oversized_line_is_bad_input() -> None:
    with pytest.raises(BadInput, match="exceeds CloudWatch Logs' event limit"):
        list(event_batches([{"timestamp": 1, "message": "z" * 300_000}]))
