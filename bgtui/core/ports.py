"""The ports the core needs from the outside world; adapters implement them.

The error contract of every method of an AWS port (each kind from `bgtui.core.errors`):
- CredentialsExpired: AWS no longer accepts credentials that worked; renew them and reload.
- CredentialError: no usable credentials, or access denied (the message names the IAM action).
- Throttled: AWS still throttled the request after every retry.
- EndpointUnreachable: no answer came; after a write its outcome is unknown until re-read.
- BadInput: the arguments were refused, by the adapter or by AWS.
- AwsError: any other failure.
Nothing else escapes an adapter: no botocore exception, no traceback. What NotFound, Conflict
and OperationFailed mean is said on each method that raises them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bgtui.core.logs import LogEvent
from bgtui.core.models import (
    STAGE_VARIABLE,
    AlarmState,
    AliasState,
    Identity,
    InvokeResult,
    StageState,
    VersionInfo,
)
from bgtui.core.release_event import ReleaseEvent
from bgtui.core.routing import ApiIntegration
from bgtui.core.shipped import ShippedLine


@dataclass(frozen=True)
class TaggedFunction:
    """A function found by its `bluegreen:*` tags."""

    function: str
    arn: str
    tags: Mapping[str, str]


class FunctionsPort(Protocol):
    """Lambda: functions, versions and aliases."""

    def discover(self) -> list[TaggedFunction]:
        """Functions tagged as managed; none found is an empty list."""
        ...

    def list_aliases(self, function: str) -> dict[str, AliasState]:
        """NotFound: the function does not exist."""
        ...

    def get_alias(self, function: str, alias: str) -> AliasState:
        """NotFound: the function or the alias does not exist."""
        ...

    def update_alias(
        self, function: str, alias: str, version: str, revision_id: str, description: str
    ) -> AliasState:
        """Conflict: the alias no longer carries `revision_id`, or another change to the
        function is under way. NotFound: the function, alias or version does not exist."""
        ...

    def list_versions(self, function: str) -> list[VersionInfo]:
        """NotFound: the function does not exist."""
        ...

    def version_exists(self, function: str, version: str) -> bool:
        """False, not NotFound, when the function or the version does not exist."""
        ...

    def update_code(self, function: str, zip_bytes: bytes) -> str:
        """Conflict: another change to the function is under way. NotFound: no such function.
        OperationFailed: Lambda did not apply the code, or had not finished in time."""
        ...

    def publish_version(self, function: str, description: str) -> VersionInfo:
        """Conflict: another change to the function is under way. NotFound: no such function."""
        ...

    def invoke(self, function: str, qualifier: str, payload: bytes) -> InvokeResult:
        """An error of the function is a result, not a raise. NotFound: no such function,
        alias or version. EndpointUnreachable also for an answer of 5xx: the function may
        have run."""
        ...


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

    def get_stages(self, api_id: str) -> dict[str, StageState]:
        """NotFound: the REST API does not exist."""
        ...

    def point_stage(
        self, api_id: str, stage: str, alias: str, variable: str = STAGE_VARIABLE
    ) -> StageState:
        """Set the stage `variable` to `alias`. NotFound: the REST API or the stage does not
        exist. Conflict: API Gateway is applying another change to the API."""
        ...


class IntegrationsPort(Protocol):
    """The integrations of a REST API's methods: what each stage really invokes."""

    def lambda_integrations(self, api_id: str) -> tuple[ApiIntegration, ...]:
        """Every method whose integration invokes a Lambda function, as the API is defined
        now (a stage serves its deployment's copy). NotFound: the REST API does not exist."""
        ...


class AlarmsPort(Protocol):
    """CloudWatch alarm states."""

    def alarm_states(self, names: Sequence[str]) -> list[AlarmState]:
        """The alarms of these exact names that exist; their scope and metric are left empty
        for the caller, who knows what each name watches. An alarm that does not exist is
        left out, not NotFound."""
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
    ) -> dict[str, MetricSeries]:
        """A series for every query; a metric without data is an empty series, not NotFound.
        BadInput: an id CloudWatch would refuse, an id used twice, or an empty time range."""
        ...


class AuditSinkPort(Protocol):
    """A remote copy of the audit trail (CloudWatch Logs)."""

    def ship(self, log_group: str, lines: Sequence[str]) -> None:
        """NotFound: the log group does not exist. OperationFailed: CloudWatch Logs took the
        call and rejected some of the events. BadInput: a line longer than an event may be."""
        ...


class IdentityPort(Protocol):
    """Who the AWS caller is."""

    def whoami(self) -> Identity:
        """Raises only the errors common to every AWS port: this call needs no permission."""
        ...


class LogsPort(Protocol):
    """The CloudWatch Logs of one Lambda version: its history, and following it.

    Besides the errors common to every AWS port, both raise NotFound when the function's log
    group does not exist (never invoked, or logging elsewhere).
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


class AuditSourcePort(Protocol):
    """Every host's audit lines, read back from a service's audit log group."""

    def read(self, log_group: str, start: datetime | None = None) -> list[ShippedLine]:
        """The group's lines from `start` on (all without). NotFound: no such group."""
        ...


class NotifierPort(Protocol):
    """One place release events are sent to: a webhook or an SNS topic."""

    @property
    def target(self) -> str:
        """Where events go, safe to show and record: a webhook's host, never its URL."""
        ...

    def deliver(self, event: ReleaseEvent) -> None:
        """Send one event, once. Any BgtuiError means it was not delivered (it may be retried);
        its message never holds a webhook's URL."""
        ...
