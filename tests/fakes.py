"""In-memory stand-ins for the core's ports, enforcing alias revisions like Lambda does."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bgtui.core.errors import Conflict, CredentialError, EndpointUnreachable, NotFound
from bgtui.core.models import (
    AlarmState,
    AliasState,
    Colour,
    Identity,
    InvokeResult,
    LiveRecord,
    StageState,
    VersionInfo,
)
from bgtui.core.ports import MetricQuery, MetricSeries, TaggedFunction

_revisions = itertools.count(1)


def new_revision() -> str:
    return f"rev-{next(_revisions)}"


@dataclass
class FakeFunction:
    name: str
    tags: dict[str, str]
    versions: list[VersionInfo] = field(default_factory=list)
    aliases: dict[str, AliasState] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)


class FakeAws:
    """Lambda, API Gateway, CloudWatch and STS in memory; counts calls by operation."""

    def __init__(self) -> None:
        self.functions: dict[str, FakeFunction] = {}
        self.stages: dict[str, dict[str, StageState]] = {}
        self.alarms: list[AlarmState] = []
        self.calls: list[str] = []
        self.unreachable_on: set[str] = set()
        self.refused_alarms: set[str] = set()
        """Alarm names the caller may not read: a DescribeAlarms naming one is refused whole."""
        self.shipped: list[tuple[str, list[str]]] = []

    def add_service(self, name: str, versions: int = 3, broken: Sequence[str] = ()) -> None:
        api_id = f"api{len(self.functions)}"
        fn = FakeFunction(
            name,
            {
                "bluegreen:managed": "true",
                "bluegreen:api-id": api_id,
                "bluegreen:environment": "demo",
                "bluegreen:audit-log-group": f"/bgtui/audit/{name}",
            },
            [
                VersionInfo(str(v), f"2026-01-0{v}", f"v{v}", f"sha{v}")
                for v in range(1, versions + 1)
            ],
            broken=set(broken),
        )
        live_v, idle_v = str(versions - 1), str(versions)
        record = LiveRecord(colour=Colour.BLUE).to_description()
        fn.aliases = {
            "blue": AliasState("blue", live_v, new_revision()),
            "green": AliasState("green", idle_v, new_revision()),
            "live": AliasState("live", live_v, new_revision(), record),
        }
        self.functions[name] = fn
        self.stages[api_id] = {
            "prod": StageState("prod", "live"),
            "test": StageState("test", "green"),
        }

    def _call(self, operation: str) -> None:
        self.calls.append(operation)
        if operation in self.unreachable_on:
            raise EndpointUnreachable(f"could not reach the endpoint for {operation}")

    def _fn(self, name: str) -> FakeFunction:
        try:
            return self.functions[name]
        except KeyError:
            raise NotFound(f"function {name} not found") from None

    # FunctionsPort
    def discover(self) -> list[TaggedFunction]:
        self._call("tag:GetResources")
        return [TaggedFunction(f.name, f"arn:{f.name}", f.tags) for f in self.functions.values()]

    def list_aliases(self, function: str) -> dict[str, AliasState]:
        self._call("lambda:ListAliases")
        return dict(self._fn(function).aliases)

    def get_alias(self, function: str, alias: str) -> AliasState:
        self._call("lambda:GetAlias")
        try:
            return self._fn(function).aliases[alias]
        except KeyError:
            raise NotFound(f"alias {alias} not found") from None

    def update_alias(
        self, function: str, alias: str, version: str, revision_id: str, description: str
    ) -> AliasState:
        self._call("lambda:UpdateAlias")
        fn = self._fn(function)
        current = fn.aliases[alias]
        if current.revision_id != revision_id:
            raise Conflict(f"alias {alias} of {function} changed since it was read")
        fn.aliases[alias] = replace(
            current, version=version, revision_id=new_revision(), description=description
        )
        if f"after:{alias}" in self.unreachable_on:
            raise EndpointUnreachable("connection lost after the write")
        return fn.aliases[alias]

    def list_versions(self, function: str) -> list[VersionInfo]:
        self._call("lambda:ListVersionsByFunction")
        return list(reversed(self._fn(function).versions))

    def version_exists(self, function: str, version: str) -> bool:
        self._call("lambda:GetFunction")
        return any(v.version == version for v in self._fn(function).versions)

    def update_code(self, function: str, zip_bytes: bytes) -> str:
        self._call("lambda:UpdateFunctionCode")
        if b"broken" in zip_bytes:
            self._fn(function).broken.add("next")
        return "sha-new"

    def publish_version(self, function: str, description: str) -> VersionInfo:
        self._call("lambda:PublishVersion")
        fn = self._fn(function)
        number = str(len(fn.versions) + 1)
        if "next" in fn.broken:
            fn.broken.discard("next")
            fn.broken.add(number)
        info = VersionInfo(number, "2026-02-01", description, f"sha{number}")
        fn.versions.append(info)
        return info

    def invoke(self, function: str, qualifier: str, payload: bytes) -> InvokeResult:
        self._call("lambda:InvokeFunction")
        fn = self._fn(function)
        version = fn.aliases[qualifier].version if qualifier in fn.aliases else qualifier
        if version in fn.broken:
            return InvokeResult(200, '{"errorMessage": "boom"}', "Unhandled", version)
        return InvokeResult(200, json.dumps({"ok": True, "version": version}), "", version)

    # StagesPort
    def get_stages(self, api_id: str) -> dict[str, StageState]:
        self._call("apigateway:GET")
        return dict(self.stages.get(api_id, {}))

    def point_stage(self, api_id: str, stage: str, alias: str) -> StageState:
        self._call("apigateway:PATCH")
        self.stages[api_id][stage] = StageState(stage, alias)
        return self.stages[api_id][stage]

    # AlarmsPort
    def alarm_states(self, names: Sequence[str]) -> list[AlarmState]:
        self._call("cloudwatch:DescribeAlarms")
        if self.refused_alarms.intersection(names):
            raise CredentialError("access denied: cloudwatch:DescribeAlarms")
        return [replace(a, scope="", metric="") for a in self.alarms if a.name in names]

    # MetricsPort
    def fetch(
        self, queries: Sequence[MetricQuery], start: datetime, end: datetime
    ) -> dict[str, MetricSeries]:
        self._call("cloudwatch:GetMetricData")
        return {q.id: MetricSeries(q.id, (), ()) for q in queries}

    # IdentityPort
    def whoami(self) -> Identity:
        self._call("sts:GetCallerIdentity")
        return Identity("123456789012", "arn:aws:iam::123456789012:user/oncall", "oncall@bastion")

    # AuditSinkPort
    def ship(self, log_group: str, lines: Sequence[str]) -> None:
        self._call("logs:PutLogEvents")
        self.shipped.append((log_group, list(lines)))
