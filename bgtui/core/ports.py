"""The ports the core needs from the outside world; adapters implement them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bgtui.core.logs import LogEvent
from bgtui.core.models import (
    AlarmState,
    AliasState,
    Identity,
    InvokeResult,
    StageState,
    VersionInfo,
)


@dataclass(frozen=True)
class TaggedFunction:
    """A function found by its `bluegreen:*` tags."""

    function: str
    arn: str
    tags: Mapping[str, str]


class FunctionsPort(Protocol):
    """Lambda: functions, versions and aliases."""

    def discover(self) -> list[TaggedFunction]: ...

    def list_aliases(self, function: str) -> dict[str, AliasState]: ...

    def get_alias(self, function: str, alias: str) -> AliasState: ...

    def update_alias(
        self, function: str, alias: str, version: str, revision_id: str, description: str
    ) -> AliasState: ...

    def list_versions(self, function: str) -> list[VersionInfo]: ...

    def version_exists(self, function: str, version: str) -> bool: ...

    def update_code(self, function: str, zip_bytes: bytes) -> str: ...

    def publish_version(self, function: str, description: str) -> VersionInfo: ...

    def invoke(self, function: str, qualifier: str, payload: bytes) -> InvokeResult: ...


@dataclass(frozen=True)
class HttpAnswer:
    """What one HTTP request got back; header names are lower-case, the body may be cut short."""

    status: int
    headers: Mapping[str, str]
    body: str


class HttpPort(Protocol):
    """Plain HTTP requests with timeouts, such as to a stage's invoke URL.

    Raises a BgtuiError when no answer came back (no connection, no answer in time).
    """

    def get(self, url: str) -> HttpAnswer: ...


class StagesPort(Protocol):
    """API Gateway stages of a service's REST API."""

    def get_stages(self, api_id: str) -> dict[str, StageState]: ...

    def point_stage(self, api_id: str, stage: str, alias: str) -> StageState: ...


class AlarmsPort(Protocol):
    """CloudWatch alarm states."""

    def alarm_states(self, names: Sequence[str]) -> list[AlarmState]:
        """The alarms of these exact names that exist; their scope and metric are left empty
        for the caller, who knows what each name watches."""
        ...


@dataclass(frozen=True)
class MetricQuery:
    """One series to fetch: a metric with its dimensions in the order they were written."""

    id: str
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    period: int = 60


@dataclass(frozen=True)
class MetricSeries:
    """Datapoints of one query, oldest first."""

    id: str
    timestamps: tuple[datetime, ...]
    values: tuple[float, ...]


class MetricsPort(Protocol):
    """CloudWatch GetMetricData: every series of one refresh in one call."""

    def fetch(
        self, queries: Sequence[MetricQuery], start: datetime, end: datetime
    ) -> dict[str, MetricSeries]: ...


class AuditSinkPort(Protocol):
    """A remote copy of the audit trail (CloudWatch Logs)."""

    def ship(self, log_group: str, lines: Sequence[str]) -> None: ...


class IdentityPort(Protocol):
    """Who the AWS caller is."""

    def whoami(self) -> Identity: ...


class LogsPort(Protocol):
    """The CloudWatch Logs of one Lambda version: its history, and following it.

    Both raise NotFound when the function's log group does not exist (never invoked, or
    logging elsewhere), CredentialError for credentials AWS refuses, Throttled past the
    retries, and AwsError for anything else AWS answered.
    """

    def history(
        self, function: str, version: str, start: datetime, end: datetime
    ) -> list[LogEvent]:
        """The version's events from `start` to `end`, oldest first."""
        ...

    def follow(
        self, function: str, version: str, start: datetime, stopped: Callable[[], bool]
    ) -> Iterator[list[LogEvent]]:
        """Batches of the version's events from `start` on, as they arrive, until `stopped()`."""
        ...
