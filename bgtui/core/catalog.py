"""Service discovery from `bluegreen:*` tags, and reading each service's current state."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from threading import Lock
from typing import Any

from bgtui.core.errors import (
    BgtuiError,
    CredentialError,
    CredentialsExpired,
    EndpointUnreachable,
    NotFound,
    Throttled,
)
from bgtui.core.models import (
    STAGE_VARIABLE,
    AlarmState,
    AliasState,
    Colour,
    ServiceRef,
    ServiceState,
    SmokeCheck,
    StageState,
    VersionInfo,
)
from bgtui.core.ports import (
    AlarmsPort,
    FunctionsPort,
    IntegrationsPort,
    StagesPort,
    TaggedFunction,
)
from bgtui.core.routing import ApiIntegration, has_own_layout, routing_problems, stage_routes

# tag → ServiceRef field
TAG_FIELDS = {
    "bluegreen:service": "name",
    "bluegreen:api-id": "api_id",
    "bluegreen:prod-stage": "prod_stage",
    "bluegreen:test-stage": "test_stage",
    "bluegreen:alarm-prefix": "alarm_prefix",
    "bluegreen:audit-log-group": "audit_log_group",
    "bluegreen:environment": "environment",
    "bluegreen:live-alias": "live_alias",
    "bluegreen:candidate-alias": "candidate_alias",
}
COLOUR_ALIASES_TAG = "bluegreen:colour-aliases"
"""The two colour aliases, blue's first, separated by a comma or a space (`blue,green`)."""
STAGE_VARIABLE_TAG = "bluegreen:stage-variable"
"""The stage variable the integrations route by; `none` when stages name aliases directly."""
SMOKE_PATH_TAG = "bluegreen:smoke-path"
"""A path to request on the test stage in the default smoke check, besides the invocation."""
GUARD_TAG = "bluegreen:guard"
"""Set to "on" by the module's enable_guard: the live alarms invoke a guard in AWS."""
ALARM_SCOPES = ("blue", "green", "live")
ALARM_KINDS = ("errors", "p99")
AlarmsRead = tuple[AlarmState, ...] | BgtuiError
"""A service's alarms, or why they could not be read."""
IntegrationsRead = tuple[ApiIntegration, ...] | BgtuiError | None
"""An API's Lambda integrations, why they could not be read, or None when not read."""
NON_PRODUCTION = {"demo", "dev", "development", "test", "sandbox", "staging", "training"}


@dataclass(frozen=True)
class ServiceOverride:
    """Configuration that adds a service or overrides what its tags say."""

    function: str
    fields: Mapping[str, object] = field(default_factory=dict)


def guarded_by_aws(ref: ServiceRef) -> bool:
    """Whether a guard in AWS rolls this service back in a watch window (bluegreen:guard)."""
    return str(ref.tags.get(GUARD_TAG, "")).strip().lower() == "on"


def ref_from_tags(function: TaggedFunction, region: str) -> ServiceRef:
    """Build a service reference from its tags; unknown or empty tag values are ignored."""
    values: dict[str, Any] = {}
    for tag, attr in TAG_FIELDS.items():
        text = str(function.tags.get(tag, "")).strip()
        if text and len(text) <= 256 and text.isprintable():
            values[attr] = text
    environment = values.get("environment", "")
    ref = ServiceRef(
        function=function.function,
        region=region,
        production=environment.lower() not in NON_PRODUCTION,
        tags=dict(function.tags),
    )
    values.update(layout_from_tags(function.tags))
    smoke_path = str(function.tags.get(SMOKE_PATH_TAG, "")).strip()
    if _is_request_path(smoke_path):
        values["smoke_checks"] = (SmokeCheck(name="default", http_path=smoke_path),)
    return replace(ref, **values)


def layout_from_tags(tags: Mapping[str, str]) -> dict[str, Any]:
    """The colour aliases and the stage variable the tags map, when they name usable ones."""
    values: dict[str, Any] = {}
    colours = str(tags.get(COLOUR_ALIASES_TAG, "")).replace(",", " ").split()
    if len(colours) == 2 and colours[0] != colours[1] and all(map(is_alias_name, colours)):
        values["colour_aliases"] = (colours[0], colours[1])
    variable = str(tags.get(STAGE_VARIABLE_TAG, "")).strip()
    if variable.lower() == "none":
        values["stage_variable"] = ""
    elif variable.isidentifier() and len(variable) <= 64:
        values["stage_variable"] = variable
    return values


def is_alias_name(text: str) -> bool:
    """Lambda's alias name rule: letters, digits, - and _, not only digits, at most 128."""
    usable = text.replace("-", "").replace("_", "")
    return 0 < len(text) <= 128 and usable.isascii() and usable.isalnum() and not text.isdigit()


def _is_request_path(text: str) -> bool:
    return text.startswith("/") and len(text) <= 256 and text.isprintable() and " " not in text


def watched_alarms(ref: ServiceRef) -> dict[str, tuple[str, str]]:
    """The alarms of a service by exact name, each with the scope and kind it watches: the
    Terraform module names them `<alarm prefix><blue|green|live>-<errors|p99>`."""
    return {
        f"{ref.alarms_prefix}{scope}-{kind}": (scope, kind)
        for scope in ALARM_SCOPES
        for kind in ALARM_KINDS
    }


def mapped_stage(ref: ServiceRef, stage: StageState) -> StageState:
    """The stage with the alias it routes to read from the variable this service maps; with no
    variable, a stage is taken to be wired to the alias it is named after."""
    if ref.stage_variable == STAGE_VARIABLE:
        return stage
    if not ref.stage_variable:
        return replace(stage, lambda_alias=None)
    return replace(stage, lambda_alias=stage.variables.get(ref.stage_variable))


def apply_override(ref: ServiceRef, override: ServiceOverride) -> ServiceRef:
    fields: dict[str, Any] = dict(override.fields)
    checks = fields.pop("smoke_checks", None)
    if isinstance(checks, (list, tuple)):
        fields["smoke_checks"] = tuple(c for c in checks if isinstance(c, SmokeCheck))
    return replace(ref, **fields)


class Catalog:
    """Finds services and reads their aliases, stages and alarms."""

    def __init__(
        self,
        functions: FunctionsPort,
        stages: StagesPort,
        alarms: AlarmsPort,
        region: str,
        overrides: Sequence[ServiceOverride] = (),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parallelism: int = 8,
        integrations: IntegrationsPort | None = None,
    ) -> None:
        self.functions = functions
        self.stages = stages
        self.alarms = alarms
        self.region = region
        self.overrides = {o.function: o for o in overrides}
        self.clock = clock
        self.parallelism = parallelism
        self._alarms_refused: set[str] = set()
        """Services whose alarms AWS refused in a shared call: asked for alone from then on."""
        self.integrations = integrations
        self._integrations_read: dict[str, tuple[tuple[str, ...], IntegrationsRead]] = {}
        """Each API's integrations by the deployments its stages serve: read again only when
        a stage is deployed anew, so a refresh of unchanged stages costs no call."""
        self._integrations_lock = Lock()

    def discover(self) -> list[ServiceRef]:
        """Tagged functions plus configured ones, sorted by display name."""
        refs = {f.function: ref_from_tags(f, self.region) for f in self.functions.discover()}
        for name, override in self.overrides.items():
            base = refs.get(name, ServiceRef(function=name, region=self.region))
            refs[name] = apply_override(base, override)
        return sorted(refs.values(), key=lambda r: (r.display_name, r.function))

    def find(self, function: str) -> ServiceRef:
        for ref in self.discover():
            if function in (ref.function, ref.name):
                return ref
        raise NotFound(f"no blue/green service named {function!r} (tag bluegreen:managed=true)")

    def read(self, ref: ServiceRef, with_versions: bool = False) -> ServiceState:
        """Aliases, stages and alarms of one service as they are now."""
        return self._read_one(ref, with_versions, self._alarms([ref])[ref.function])

    def read_many(
        self, refs: Sequence[ServiceRef], progress: Callable[[int], None] | None = None
    ) -> list[ServiceState | BgtuiError]:
        """Several services at once: their alarms by name together, on one thread while the
        others read each service's aliases and stages. `progress` is told how many services'
        aliases and stages are read so far, from the reading threads."""
        if not refs:
            return []
        done, lock = 0, Lock()

        def read_parts(ref: ServiceRef) -> ServiceParts | BgtuiError:
            nonlocal done
            part = self._read_parts(ref)
            if progress is not None:
                with lock:
                    done += 1
                    progress(done)
            return part

        # One alarm read keeps DescribeAlarms' calls one after the other (its quota is 9 a
        # second) and stops at the first throttled or unreachable answer, as before.
        workers = max(2, min(self.parallelism + 1, len(refs) + 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            alarm_read = pool.submit(self._alarms, refs)
            parts = list(pool.map(read_parts, refs))
            alarms = alarm_read.result()
        return [
            part if isinstance(part, BgtuiError) else self._state(ref, part, alarms[ref.function])
            for ref, part in zip(refs, parts, strict=True)
        ]

    def _read_parts(self, ref: ServiceRef) -> ServiceParts | BgtuiError:
        try:
            return self._parts(ref, with_versions=False)
        except BgtuiError as error:
            return error

    def _alarms(self, refs: Sequence[ServiceRef]) -> dict[str, AlarmsRead]:
        """Each service's alarms, or why they could not be read: one shared read for the
        services never refused, then each refused one alone (it may be allowed again)."""
        alone = [r for r in refs if r.function in self._alarms_refused]
        found = self._alarm_read([r for r in refs if r.function not in self._alarms_refused])
        for ref in alone:
            found.update(self._alarm_read([ref]))
        return found

    def _alarm_read(self, refs: Sequence[ServiceRef]) -> dict[str, AlarmsRead]:
        if not refs:
            return {}
        watched: dict[str, list[tuple[str, str, str]]] = {}
        for ref in refs:
            for name, (scope, kind) in watched_alarms(ref).items():
                watched.setdefault(name, []).append((ref.function, scope, kind))
        try:
            states = self.alarms.alarm_states(list(watched))
        except BgtuiError as error:
            # Asking again service by service would only add load to a throttled or
            # unreachable CloudWatch.
            if len(refs) == 1 or isinstance(error, (Throttled, EndpointUnreachable)):
                return {ref.function: error for ref in refs}
            return self._alarm_read_alone(refs)
        mine: dict[str, list[AlarmState]] = {ref.function: [] for ref in refs}
        for state in states:
            for function, scope, kind in watched.get(state.name, ()):
                mine[function].append(replace(state, scope=scope, metric=kind))
        self._alarms_refused.difference_update(mine)
        return {function: tuple(alarms) for function, alarms in mine.items()}

    def _alarm_read_alone(self, refs: Sequence[ServiceRef]) -> dict[str, AlarmsRead]:
        """AWS refuses a whole DescribeAlarms when one name in it is not allowed: ask for each
        service's alarms alone to tell which."""
        found: dict[str, AlarmsRead] = {}
        for ref in refs:
            found.update(self._alarm_read([ref]))
        refused = {f for f, read in found.items() if isinstance(read, BgtuiError)}
        self._alarms_refused.update(refused)
        return found

    def _read_one(self, ref: ServiceRef, with_versions: bool, alarms: AlarmsRead) -> ServiceState:
        return self._state(ref, self._parts(ref, with_versions), alarms)

    def _parts(self, ref: ServiceRef, with_versions: bool) -> ServiceParts:
        aliases = self.functions.list_aliases(ref.function)
        stages = self.stages.get_stages(ref.api_id) if ref.api_id else {}
        versions = tuple(self.functions.list_versions(ref.function)) if with_versions else ()
        return ServiceParts(aliases, stages, versions, self._api_integrations(ref, stages))

    def _api_integrations(
        self, ref: ServiceRef, stages: Mapping[str, StageState]
    ) -> IntegrationsRead:
        if self.integrations is None or not ref.api_id or not has_own_layout(ref):
            return None
        deployments = tuple(sorted(f"{n}={s.deployment_id}" for n, s in stages.items()))
        with self._integrations_lock:
            cached = self._integrations_read.get(ref.api_id)
        if cached is not None and cached[0] == deployments:
            return cached[1]
        try:
            found: IntegrationsRead = self.integrations.lambda_integrations(ref.api_id)
        except BgtuiError as error:
            if isinstance(error, CredentialsExpired) or not isinstance(error, CredentialError):
                return error  # tried again on the next refresh
            # A refusal is kept like an answer: asked again after a new deployment, not every
            # few seconds into the account's CloudTrail.
            found = error
        with self._integrations_lock:
            self._integrations_read[ref.api_id] = (deployments, found)
        return found

    def _state(self, ref: ServiceRef, parts: ServiceParts, alarms: AlarmsRead) -> ServiceState:
        live = parts.aliases.get(ref.live_alias)
        read = parts.integrations
        routes = stage_routes(ref.function, parts.stages, read) if isinstance(read, tuple) else ()
        return ServiceState(
            ref=ref,
            blue=parts.aliases.get(ref.alias_name(Colour.BLUE)),
            green=parts.aliases.get(ref.alias_name(Colour.GREEN)),
            live=live,
            stages={name: mapped_stage(ref, stage) for name, stage in parts.stages.items()},
            routes=routes,
            routing_problems=routing_problems(ref, routes, live.version if live else None),
            routing_unreadable=str(read) if isinstance(read, BgtuiError) else "",
            alarms=() if isinstance(alarms, BgtuiError) else alarms,
            versions=parts.versions,
            read_at=self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            alarms_unreadable=str(alarms) if isinstance(alarms, BgtuiError) else "",
        )


@dataclass(frozen=True)
class ServiceParts:
    """What one service's own calls read: its aliases, its API's stages, maybe its versions,
    and its API's Lambda integrations."""

    aliases: Mapping[str, AliasState]
    stages: Mapping[str, StageState]
    versions: tuple[VersionInfo, ...]
    integrations: IntegrationsRead = None
