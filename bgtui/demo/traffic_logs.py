"""The demo traffic's invocation logs: what each version prints, in Lambda's group and streams."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from bgtui.core.logs import log_group, stream_prefix
from bgtui.demo.traffic_model import ServiceSnapshot
from bgtui.emulator.behaviour import Behaviour

LOG_MINUTES = 10
"""Minutes of logs written per round at most: a first round back-fills metrics for an hour."""
INVOCATIONS_PER_MINUTE = 3


def environment_id(function: str, version: str, day: datetime) -> str:
    """A stable execution-environment id per version and day, as the tail of a stream name."""
    seed = f"{function}:{version}:{day:%Y-%m-%d}".encode()
    return hashlib.sha256(seed).hexdigest()[:32]


def stream_name(function: str, version: str, at: datetime) -> str:
    """Lambda's stream name: `YYYY/MM/DD/[VERSION]<environment id>`."""
    return stream_prefix(at, version) + environment_id(function, version, at)


def traceback_lines(behaviour: Behaviour) -> str:
    """What Lambda's Python runtime logs for an unhandled exception: one multi-line event."""
    return (
        f"[ERROR] {behaviour.failure}\n"
        "Traceback (most recent call last):\n"
        '  File "/var/task/index.py", line 9, in handler\n'
        "    return process(event)\n"
        '  File "/var/task/index.py", line 5, in process\n'
        '    total = event["amount"] * event["quantity"]\n'
        f"{behaviour.failure}"
    )


def invocation_events(
    rng: random.Random, at: datetime, version: str, behaviour: Behaviour
) -> list[tuple[datetime, str]]:
    """START, what the handler printed, END and REPORT of one invocation at `at`."""
    request_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    duration = rng.uniform(600, 950) if not behaviour.healthy else rng.uniform(8, 40)
    if behaviour.healthy:
        printed = f"[INFO]\t{request_id}\torder accepted: 200 in {duration:.0f} ms"
    else:
        printed = traceback_lines(behaviour)
    step = timedelta(milliseconds=1)
    return [
        (at, f"START RequestId: {request_id} Version: {version}"),
        (at + step, printed),
        (at + 2 * step, f"END RequestId: {request_id}"),
        (at + 3 * step, f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms"),
    ]


class TrafficLogWriter:
    """Writes each version's invocation logs for the minutes a traffic round wrote metrics."""

    def __init__(self, logs_client: Any, rng: random.Random) -> None:
        self._logs = logs_client
        self._rng = rng
        self._groups: set[str] = set()
        self._streams: set[tuple[str, str]] = set()

    def write(self, snapshot: ServiceSnapshot, minutes: Sequence[datetime]) -> int:
        """Logs of every version in a colour or live for these minutes; the events written."""
        versions = sorted(set(snapshot.colours.values()) | {snapshot.live_version or ""} - {""})
        by_stream: dict[str, list[tuple[datetime, str]]] = {}
        for version in versions:
            behaviour = snapshot.behaviour(version)
            for minute in minutes[-LOG_MINUTES:]:
                for second in sorted(self._rng.sample(range(60), INVOCATIONS_PER_MINUTE)):
                    at = minute + timedelta(seconds=second)
                    events = invocation_events(self._rng, at, version, behaviour)
                    by_stream.setdefault(stream_name(snapshot.function, version, at), []).extend(
                        events
                    )
        group = log_group(snapshot.function)
        for stream, events in by_stream.items():
            self._put(group, stream, sorted(events))
        return sum(len(events) for events in by_stream.values())

    def _put(self, group: str, stream: str, events: list[tuple[datetime, str]]) -> None:
        self._ensure(group, stream)
        self._logs.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[
                {"timestamp": int(at.timestamp() * 1000), "message": message}
                for at, message in events
            ],
        )

    def _ensure(self, group: str, stream: str) -> None:
        # Lambda creates its group and streams itself; existing ones are what we want.
        if group not in self._groups:
            with suppress(self._logs.exceptions.ResourceAlreadyExistsException):
                self._logs.create_log_group(logGroupName=group)
            self._groups.add(group)
        if (group, stream) not in self._streams:
            with suppress(self._logs.exceptions.ResourceAlreadyExistsException):
                self._logs.create_log_stream(logGroupName=group, logStreamName=stream)
            self._streams.add((group, stream))
