"""Synthetic traffic for every managed function: per-minute metrics of both colours, alarms."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

from botocore.exceptions import BotoCoreError, ClientError

from bgtui.core.errors import BgtuiError
from bgtui.demo.service_reader import ManagedFunction, ServiceReader
from bgtui.demo.traffic_logs import TrafficLogWriter
from bgtui.demo.traffic_model import Datum, ServiceSnapshot, minute_datums
from bgtui.emulator.alarm_evaluation import AlarmEvaluator
from bgtui.emulator.behaviour import Behaviour
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.control_client import EmulatorControl

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.type_defs import MetricDatumTypeDef

BACKFILL_MINUTES = 60
MAX_DATUMS_PER_CALL = 1000
# Keeps each PutMetricData request well under CloudWatch's 1 MB body limit.
MAX_VALUES_PER_CALL = 8000
LOG_SEED = 17
log = logging.getLogger("bgtui.demo.traffic")


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(at: datetime) -> datetime:
    """Clocks may be naive; they are taken to be UTC."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)


def minute_floor(at: datetime) -> datetime:
    return as_utc(at).replace(second=0, microsecond=0)


@dataclass(frozen=True)
class TickReport:
    """What one round wrote: function-minutes, datapoints and alarm state changes."""

    functions: tuple[str, ...] = ()
    minutes: int = 0
    datapoints: int = 0
    alarm_changes: dict[str, str] = field(default_factory=dict)


# PutMetricData's members, by namespace: over HTTP, or straight into the emulator's own process.
MetricWriter: TypeAlias = "Callable[[str, list[MetricDatumTypeDef]], None]"


class TrafficGenerator:
    """Writes what Lambda and API Gateway would report for every managed function, minute by minute.

    Each round reads the aliases as they are now, so after a swap production traffic runs the
    new live version. Only complete minutes are written, each once; a function seen for the
    first time gets the last `backfill_minutes` at once, so charts have history immediately.
    """

    def __init__(
        self,
        endpoint_url: str,
        region: str = "us-east-1",
        *,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        backfill_minutes: int = BACKFILL_MINUTES,
        write: MetricWriter | None = None,
        logs: bool = True,
    ) -> None:
        self.region = region
        self._clients = EmulatorClients(endpoint_url, region, validate=False)
        self._reader = ServiceReader(self._clients)
        self._alarms = AlarmEvaluator(self._clients)
        self._control = EmulatorControl(endpoint_url)
        self._clock = clock
        self._rng = rng or random.Random()
        self._backfill = timedelta(minutes=backfill_minutes)
        self._write = write or self._write_over_http
        # Logs draw from their own generator so that seeded metrics stay as they were.
        log_rng = random.Random(LOG_SEED) if rng is not None else random.Random()
        self._logs = TrafficLogWriter(self._clients.logs, log_rng) if logs else None
        self._written_until: dict[str, datetime] = {}
        self._tick_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def written(self, functions: Sequence[str], until: datetime) -> None:
        """The minutes before `until` were written elsewhere (the demo's first round): go on
        from there rather than back-filling them again."""
        with self._tick_lock:
            for function in functions:
                self._written_until[function] = as_utc(until)

    def set_behaviour(self, function: str, version: str, healthy: bool) -> Behaviour:
        """Make one version healthy or broken, for invocations and for the traffic written next."""
        return self._control.set_health(self.region, function, version, healthy)

    def tick(self) -> TickReport:
        """One round, synchronously: write the minutes that completed since the last round."""
        with self._tick_lock:
            now = as_utc(self._clock())
            current = minute_floor(now)
            due = self._due_minutes(self.discover(), current)
            if not due:
                return TickReport()
            snapshots = self._snapshots([managed for managed, _ in due])
            datums = self._datums(snapshots, due)
            self._put(datums)
            for managed, _ in due:
                self._written_until[managed.function] = current
            changes = self._alarms.evaluate([managed.alarm_prefix for managed, _ in due], now)
            if self._logs is not None:
                for snapshot, (_, written) in zip(snapshots, due, strict=True):
                    self._logs.write(snapshot, written)
            minutes = sum(len(m) for _, m in due)
            names = tuple(m.function for m, _ in due)
            return TickReport(names, minutes, len(datums), changes)

    def discover(self) -> list[ManagedFunction]:
        """Managed functions, by the Resource Groups Tagging API, sorted by name."""
        return self._reader.discover()

    def _due_minutes(
        self, managed: Sequence[ManagedFunction], current: datetime
    ) -> list[tuple[ManagedFunction, list[datetime]]]:
        due = []
        for function in managed:
            # A new function gets the back-fill window; nobody gets more, even after a long pause.
            oldest = current - self._backfill
            start = max(self._written_until.get(function.function, oldest), oldest)
            minutes = _minutes_between(start, current)
            if minutes:
                due.append((function, minutes))
        return due

    def _snapshots(self, managed: Sequence[ManagedFunction]) -> list[ServiceSnapshot]:
        read = [self._reader.snapshot(m) for m in managed]
        wanted = sorted({(s.function, v) for s in read for v in _versions(s)})
        behaviours = self._control.behaviours(self.region, wanted)
        return [
            replace(s, behaviours={v: b for (fn, v), b in behaviours.items() if fn == s.function})
            for s in read
        ]

    def _datums(
        self, snapshots: Sequence[ServiceSnapshot], due: Sequence[tuple[Any, list[datetime]]]
    ) -> list[Datum]:
        datums: list[Datum] = []
        for snapshot, (_, minutes) in zip(snapshots, due, strict=True):
            for minute in minutes:
                datums += minute_datums(self._rng, snapshot, minute)
        return datums

    def _put(self, datums: Sequence[Datum]) -> None:
        for namespace, batch in _batches(datums):
            self._write(namespace, [d.to_api() for d in batch])

    def _write_over_http(self, namespace: str, members: list[MetricDatumTypeDef]) -> None:
        self._clients.cloudwatch.put_metric_data(Namespace=namespace, MetricData=members)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, interval_s: float = 10.0) -> TickReport:
        """Back-fill now, then keep ticking on a daemon thread every `interval_s` seconds."""
        first = self.tick()
        if not self.running:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, args=(interval_s,), name="bgtui-traffic", daemon=True
            )
            self._thread.start()
        return first

    def _run(self, interval_s: float) -> None:
        while not self._stop.wait(interval_s):
            try:
                self.tick()
            except (BgtuiError, BotoCoreError, ClientError) as error:
                log.warning("traffic round failed: %s", error)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop ticking; waits at most `timeout_s` for a round in progress."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None


def _minutes_between(start: datetime, end: datetime) -> list[datetime]:
    minutes, at = [], minute_floor(start)
    while at < end:
        minutes.append(at)
        at += timedelta(minutes=1)
    return minutes


def _versions(snapshot: ServiceSnapshot) -> set[str]:
    found = set(snapshot.colours.values())
    return found | {snapshot.live_version} if snapshot.live_version else found


def _batches(datums: Sequence[Datum]) -> Iterator[tuple[str, list[Datum]]]:
    """Datums grouped per namespace, in calls CloudWatch accepts (count and size)."""
    by_namespace: dict[str, list[Datum]] = {}
    for datum in datums:
        by_namespace.setdefault(datum.namespace, []).append(datum)
    for namespace, members in by_namespace.items():
        batch: list[Datum] = []
        values = 0
        for datum in members:
            if batch and (
                len(batch) == MAX_DATUMS_PER_CALL
                or values + len(datum.values) > MAX_VALUES_PER_CALL
            ):
                yield namespace, batch
                batch, values = [], 0
            batch.append(datum)
            values += len(datum.values)
        if batch:
            yield namespace, batch
