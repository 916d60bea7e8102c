"""CloudWatch Logs through boto3: one Lambda version's log events, read back and followed.

History is FilterLogEvents over the log group `/aws/lambda/<function>` with one
`logStreamNamePrefix` (`YYYY/MM/DD/[VERSION]`) per UTC day of the window, page by page
through `nextToken` (a page holds at most 10,000 events or 1 MB, and may be empty while
more follow: the FilterLogEvents API reference).

Following uses CloudWatch Logs Live Tail (StartLiveTail) on AWS itself: a prefix filter
works with ONE log group only, a session ends after 3 hours (SessionTimeoutException),
above 500 matching events a second the updates are sampled, and because the stream
prefix carries the date the session is reopened at midnight UTC. Live Tail is billed per
session minute: $0.01 a minute in us-east-1 after 1,800 free minutes a month (Amazon
CloudWatch pricing, aws.amazon.com/cloudwatch/pricing), so an hour of following costs
$0.60. Where Live Tail is not available (the emulator answers StartLiveTail with plain
JSON, not an event stream; an account or role without logs:StartLiveTail) following polls
FilterLogEvents every `poll_interval_s`. FilterLogEvents has a quota of 5 transactions a
second per account and Region that cannot be raised ("How do I determine throttling in my
CloudWatch logs?", repost.aws/knowledge-center/cloudwatch-logs-throttling): one follower
polling every 5 s uses 0.2 of it, two on the day a window crosses midnight. `python -m
tests.bench.run --only logs` measures both.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.session import AwsContext, is_aws_endpoint
from bgtui.core.errors import CredentialError, EndpointUnreachable
from bgtui.core.logs import LogEvent, as_utc, days_between, log_group, next_midnight, stream_prefix

if TYPE_CHECKING:
    from mypy_boto3_logs.type_defs import (
        FilteredLogEventTypeDef,
        LiveTailSessionLogEventTypeDef,
    )

POLL_INTERVAL_S = 5.0
"""Seconds between FilterLogEvents polls while following: 0.2 TPS of the 5 TPS quota."""
LATE_EVENTS = timedelta(seconds=60)
"""How far back each poll reads again: events can be ingested after later ones."""
MAX_EVENTS = 10_000
"""Events kept from a history read, the newest; a wider window is a job for Logs Insights."""
MAX_PAGES = 50
FILTER_TPS_QUOTA = 5.0
LIVE_TAIL_USD_PER_MINUTE = 0.01
LIVE_TAIL_SESSION = timedelta(hours=3)
Clock = Callable[[], datetime]
_SESSION_ENDS = {"SessionStreamingException", "SessionTimeoutException"}


def utc_now() -> datetime:
    return datetime.now(UTC)


class LambdaLogs:
    """LogsPort over FilterLogEvents (history, polling) and StartLiveTail (following on AWS)."""

    def __init__(
        self,
        context: AwsContext,
        account: Callable[[], str] | None = None,
        *,
        clock: Clock = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        poll_interval_s: float = POLL_INTERVAL_S,
    ) -> None:
        self._aws = context
        self._account = account
        self._clock = clock
        self._sleep = sleep
        self.poll_interval_s = poll_interval_s
        self.live_tail: bool | None = None if account is not None else False
        """Whether following tries Live Tail: on AWS itself, until Live Tail is refused once."""

    def history(
        self, function: str, version: str, start: datetime, end: datetime
    ) -> list[LogEvent]:
        events: list[LogEvent] = []
        for day in days_between(start, end):
            events += self._filter(function, stream_prefix(day, version), start, end)
        events.sort(key=lambda event: (event.timestamp, event.event_id))
        return events[-MAX_EVENTS:]

    def follow(
        self, function: str, version: str, start: datetime, stopped: Callable[[], bool]
    ) -> Iterator[list[LogEvent]]:
        if self.live_tail is None:
            self.live_tail = is_aws_endpoint(self._aws.client("logs"))
        seen: dict[str, datetime] = {}
        if self.live_tail:
            try:
                for batch in self._tail(function, version, start, stopped):
                    seen.update((_key(event), event.timestamp) for event in batch)
                    yield batch
                return
            except (CredentialError, EndpointUnreachable):
                # Denied to this role, or its `stream-logs` endpoint unreachable from here
                # (a VPC without that endpoint): reading still works, so poll instead,
                # without repeating what was shown.
                self.live_tail = False
        yield from self._poll(function, version, start, stopped, seen)

    def _poll(
        self,
        function: str,
        version: str,
        start: datetime,
        stopped: Callable[[], bool],
        seen: dict[str, datetime],
    ) -> Iterator[list[LogEvent]]:
        since = as_utc(start)
        while not stopped():
            now = self._clock()
            batch = [
                event
                for event in self.history(function, version, since, now)
                if _key(event) not in seen
            ]
            for event in batch:
                seen[_key(event)] = event.timestamp
            since = max(since, now - LATE_EVENTS)
            seen = {key: at for key, at in seen.items() if at >= since}
            yield batch
            if stopped():
                return
            self._sleep(self.poll_interval_s)

    def _tail(
        self, function: str, version: str, start: datetime, stopped: Callable[[], bool]
    ) -> Iterator[list[LogEvent]]:
        yield self.history(function, version, start, self._clock())
        while not stopped():
            now = self._clock()
            yield from self._session(function, stream_prefix(now, version), now, stopped)

    def _session(
        self, function: str, prefix: str, opened: datetime, stopped: Callable[[], bool]
    ) -> Iterator[list[LogEvent]]:
        """One Live Tail session, until stopped, midnight UTC, or its 3-hour end."""
        ends = min(next_midnight(opened), opened + LIVE_TAIL_SESSION)
        group = self._group_arn(function)
        with aws_errors("follow", f"logs {prefix} of {function}", service="logs"):
            answer = self._aws.client("logs").start_live_tail(
                logGroupIdentifiers=[group], logStreamNamePrefixes=[prefix]
            )
        stream = answer["responseStream"]
        try:
            with aws_errors("follow", f"logs {prefix} of {function}", service="logs"):
                for item in stream:
                    if "sessionUpdate" in item:
                        yield [_live_event(e) for e in item["sessionUpdate"]["sessionResults"]]
                    # A session that failed or timed out (3 hours) is opened again by the caller.
                    ends_here = (
                        "SessionStreamingException" in item or "SessionTimeoutException" in item
                    )
                    if ends_here or stopped() or self._clock() >= ends:
                        return
        finally:
            close = getattr(stream, "close", None)
            if callable(close):
                close()

    def _group_arn(self, function: str) -> str:
        client = self._aws.client("logs")
        partition = getattr(client.meta, "partition", "aws")
        account = self._account() if self._account else ""
        return f"arn:{partition}:logs:{self._aws.region}:{account}:log-group:{log_group(function)}"

    def _filter(self, function: str, prefix: str, start: datetime, end: datetime) -> list[LogEvent]:
        logs = self._aws.client("logs")
        request: dict[str, Any] = {
            "logGroupName": log_group(function),
            "logStreamNamePrefix": prefix,
            "startTime": _millis(start),
            "endTime": _millis(end),
        }
        events: list[LogEvent] = []
        with aws_errors("read", f"logs {prefix} of {function}", service="logs"):
            for _ in range(MAX_PAGES):
                page = logs.filter_log_events(**request)
                events += [_event(raw) for raw in page.get("events", [])]
                token = page.get("nextToken")
                if not token or token == request.get("nextToken"):
                    break
                request["nextToken"] = token
        return events


def _millis(at: datetime) -> int:
    return int(as_utc(at).timestamp() * 1000)


def _from_millis(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, UTC)


def _event(raw: FilteredLogEventTypeDef) -> LogEvent:
    return LogEvent(
        _from_millis(raw.get("timestamp", 0)),
        str(raw.get("logStreamName", "")),
        str(raw.get("message", "")),
        str(raw.get("eventId", "")),
    )


def _live_event(raw: LiveTailSessionLogEventTypeDef) -> LogEvent:
    return LogEvent(
        _from_millis(raw.get("timestamp", 0)),
        str(raw.get("logStreamName", "")),
        str(raw.get("message", "")),
    )


def _key(event: LogEvent) -> str:
    return event.event_id or f"{event.stream}@{event.timestamp.isoformat()}@{event.message}"
