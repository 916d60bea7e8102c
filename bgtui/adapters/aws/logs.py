"""CloudWatch Logs through boto3: ship audit lines to the service's audit log group."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.retries import Sleep, send_mutation
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import BadInput, OperationFailed

if TYPE_CHECKING:
    from mypy_boto3_logs.type_defs import InputLogEventTypeDef

MAX_BATCH_BYTES = 1_048_576
MAX_BATCH_EVENTS = 10_000
MAX_EVENT_BYTES = 262_144
EVENT_OVERHEAD_BYTES = 26
"""CloudWatch Logs counts 26 bytes per event on top of the message."""


class CloudWatchAuditSink:
    """AuditSinkPort over CloudWatch Logs: one stream per host, audit trail and UTC day.

    Streams are named `HOST/TRAIL/YYYY-MM-DD` (`HOST/YYYY-MM-DD` without a trail id, as
    older versions named them): each trail's hash chain then stays in streams of its own.
    """

    def __init__(
        self,
        context: AwsContext,
        sleep: Sleep = time.sleep,
        clock: Callable[[], float] = time.time,
        host: str | None = None,
        trail: str = "",
    ) -> None:
        self._aws = context
        self._sleep = sleep
        self._clock = clock
        self._host = (host or socket.gethostname() or "unknown-host").replace(":", "-")
        if trail:
            self._host += f"/{trail}"
        self._known_streams: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    @property
    def host(self) -> str:
        """The part of this sink's stream names before the day: host, and trail id when set."""
        return self._host

    def ship(self, log_group: str, lines: Sequence[str]) -> None:
        """Append the lines, in order, to today's stream of this trail (created when missing)."""
        messages = [line for line in lines if line.strip()]
        if not messages:
            return
        now = self._clock()
        stream = f"{self._host}/{datetime.fromtimestamp(now, UTC):%Y-%m-%d}"
        self._ensure_stream(log_group, stream)
        events: list[InputLogEventTypeDef] = [
            {"timestamp": int(now * 1000), "message": message} for message in messages
        ]
        for batch in event_batches(events):
            self._put(log_group, stream, batch)

    def _ensure_stream(self, log_group: str, stream: str) -> None:
        with self._lock:
            if (log_group, stream) in self._known_streams:
                return
        logs = self._aws.client("logs")
        # A stream that exists already is what we want, so creating is safe to repeat.
        with (
            aws_errors("create log stream", f"{stream} in {log_group}", service="logs"),
            suppress(logs.exceptions.ResourceAlreadyExistsException),
        ):
            logs.create_log_stream(logGroupName=log_group, logStreamName=stream)
        with self._lock:
            self._known_streams.add((log_group, stream))

    def _put(self, log_group: str, stream: str, batch: list[InputLogEventTypeDef]) -> None:
        logs = self._aws.write_client("logs")
        with aws_errors(
            "write audit events to", f"{log_group}/{stream}", service="logs", mutation=True
        ):
            answer = send_mutation(
                lambda: logs.put_log_events(
                    logGroupName=log_group, logStreamName=stream, logEvents=batch
                ),
                self._sleep,
            )
        if answer.get("rejectedLogEventsInfo"):
            raise OperationFailed(
                f"CloudWatch Logs rejected audit events for {log_group}/{stream}: "
                f"{answer['rejectedLogEventsInfo']}"
            )


def event_batches(events: list[InputLogEventTypeDef]) -> Iterator[list[InputLogEventTypeDef]]:
    """Split events into PutLogEvents batches: at most 10,000 events and 1 MiB each."""
    batch: list[InputLogEventTypeDef] = []
    batch_bytes = 0
    for event in events:
        size = len(event["message"].encode("utf-8")) + EVENT_OVERHEAD_BYTES
        if size > MAX_EVENT_BYTES:
            raise BadInput(f"an audit line of {size} bytes exceeds CloudWatch Logs' event limit")
        if batch and (batch_bytes + size > MAX_BATCH_BYTES or len(batch) == MAX_BATCH_EVENTS):
            yield batch
            batch, batch_bytes = [], 0
        batch.append(event)
        batch_bytes += size
    if batch:
        yield batch
