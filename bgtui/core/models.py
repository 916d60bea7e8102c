"""Domain values of one blue/green service: colours, aliases, stages, versions, alarms, state."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

LIVE_ALIAS = "live"
STAGE_VARIABLE = "lambdaAlias"
RECORD_SCHEMA = "bgtui/live-v1"


class Colour(StrEnum):
    """One of the two environments of a service."""

    BLUE = "blue"
    GREEN = "green"

    @property
    def other(self) -> Colour:
        return Colour.GREEN if self is Colour.BLUE else Colour.BLUE

    @property
    def symbol(self) -> str:
        """A glyph that tells the colours apart without hue."""
        return "◆" if self is Colour.BLUE else "●"


@dataclass(frozen=True)
class AliasState:
    """An alias as read from Lambda, with the revision every write must carry."""

    name: str
    version: str
    revision_id: str
    description: str = ""


@dataclass(frozen=True)
class VersionInfo:
    """One published version of a function."""

    version: str
    last_modified: str = ""
    description: str = ""
    code_sha256: str = ""


@dataclass(frozen=True)
class StageState:
    """An API Gateway stage and the alias its stage variable (`lambdaAlias` unless mapped) names."""

    name: str
    lambda_alias: str | None
    invoke_url: str = ""
    variables: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Every stage variable, so a service that maps another variable name can read its own."""
    deployment_id: str = field(default="", compare=False)
    """The deployment the stage serves: its integrations change only with it."""


@dataclass(frozen=True)
class StageRoute:
    """How one method of a stage picks the function's qualifier, and what the stage serves."""

    stage: str
    method: str
    kind: str
    """`variable` (`${stageVariables.<target>}`), `pinned` (to the alias or version `target`)
    or `unqualified` (the function's $LATEST)."""
    target: str
    serves: str | None
    """The alias or version that answers on this stage; None when its variable is unset."""


@dataclass(frozen=True)
class AlarmState:
    """A CloudWatch alarm attached to one colour or to `live`."""

    name: str
    state: str
    scope: str
    metric: str = ""
    reason: str = ""
    since: datetime | None = None
    """When the alarm last changed state; None when CloudWatch did not say."""

    @property
    def firing(self) -> bool:
        return self.state == "ALARM"


def may_replace_description(description: str) -> bool:
    """Whether an alias description is empty or one bgtui wrote, so bgtui may replace it."""
    text = description.strip()
    return not text or (text.startswith("{") and '"schema":"bgtui/' in text)


@dataclass(frozen=True)
class PreviousLive:
    """What was live before the last swap: where a rollback goes."""

    colour: Colour
    version: str


@dataclass(frozen=True)
class LiveRecord:
    """The live colour and the previous live, kept in the `live` alias Description as JSON."""

    colour: Colour
    previous: PreviousLive | None = None
    changed_at: str = ""
    changed_by: str = ""
    watch_until: str = ""
    """ISO-8601 UTC end of the watch window opened by the last promote; empty when none."""
    passed_at: str = ""
    """When a watcher found that window passed and claimed it (one write, compare-and-swap), so
    of every host watching it exactly one records and announces the pass; empty until then."""

    def to_description(self) -> str:
        doc: dict[str, Any] = {"schema": RECORD_SCHEMA, "live": self.colour.value}
        if self.previous is not None:
            doc["previous"] = {
                "colour": self.previous.colour.value,
                "version": self.previous.version,
            }
        if self.changed_at:
            doc["at"] = self.changed_at
        if self.changed_by:
            doc["by"] = self.changed_by[:80]
        if self.watch_until:
            doc["watch"] = self.watch_until
        if self.passed_at:
            doc["passed"] = self.passed_at
        # Lambda caps alias descriptions at 256 characters.
        text = json.dumps(doc, separators=(",", ":"), sort_keys=True)
        if len(text) > 256:
            doc.pop("by", None)
            text = json.dumps(doc, separators=(",", ":"), sort_keys=True)
        return text

    @classmethod
    def from_description(cls, text: str) -> LiveRecord | None:
        """Parse a record written by bgtui; None when the description is not one (hand-edited)."""
        try:
            doc = json.loads(text)
        except (TypeError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("schema") != RECORD_SCHEMA:
            return None
        try:
            colour = Colour(doc["live"])
            previous = None
            prev = doc.get("previous")
            if isinstance(prev, Mapping):
                previous = PreviousLive(Colour(prev["colour"]), _version_text(prev["version"]))
        except (KeyError, ValueError, TypeError):
            return None
        watch, passed = doc.get("watch", ""), doc.get("passed", "")
        return cls(
            colour,
            previous,
            str(doc.get("at", "")),
            str(doc.get("by", "")),
            watch if isinstance(watch, str) else "",
            passed if isinstance(passed, str) else "",
        )


def _version_text(value: object) -> str:
    text = str(value)
    if not text.isdigit():
        raise ValueError(f"not a published version: {text!r}")
    return text


@dataclass(frozen=True)
class SmokeCheck:
    """One configured smoke check: a payload for the idle alias and what the answer must contain."""

    name: str = "invoke"
    payload: str = '{"bluegreen": "smoke"}'
    expect: str = ""
    http_path: str = ""


@dataclass(frozen=True)
class ServiceRef:
    """How to find one service: its function and API, from tags and configuration."""

    function: str
    region: str
    name: str = ""
    api_id: str = ""
    prod_stage: str = "prod"
    test_stage: str = "test"
    live_alias: str = LIVE_ALIAS
    """The production alias: what the prod stage and every client call."""
    colour_aliases: tuple[str, str] = ("blue", "green")
    """The aliases of the two colours, blue first."""
    candidate_alias: str = ""
    """Set for a two-alias layout (production + candidate): the alias new versions go to."""
    stage_variable: str = STAGE_VARIABLE
    """The stage variable the integrations route by; empty when stages name aliases directly."""
    alarm_prefix: str = ""
    audit_log_group: str = ""
    environment: str = ""
    production: bool = True
    smoke_checks: tuple[SmokeCheck, ...] = (SmokeCheck(),)
    tags: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def display_name(self) -> str:
        return self.name or self.function

    @property
    def two_alias(self) -> bool:
        """Production + candidate, rather than two colours behind a live router."""
        return bool(self.candidate_alias)

    def alias_name(self, colour: Colour) -> str:
        """The alias that plays `colour`'s role: in the two-alias layout blue is production
        and green the candidate."""
        if self.two_alias:
            return self.live_alias if colour is Colour.BLUE else self.candidate_alias
        return self.colour_aliases[0 if colour is Colour.BLUE else 1]

    @property
    def alias_names(self) -> tuple[str, ...]:
        if self.two_alias:
            return (self.live_alias, self.candidate_alias)
        return (*self.colour_aliases, self.live_alias)

    @property
    def alarms_prefix(self) -> str:
        return self.alarm_prefix or f"{self.function}-"


@dataclass(frozen=True)
class ServiceState:
    """Everything read about one service at one moment."""

    ref: ServiceRef
    blue: AliasState | None
    green: AliasState | None
    live: AliasState | None
    stages: Mapping[str, StageState] = field(default_factory=dict)
    alarms: tuple[AlarmState, ...] = ()
    versions: tuple[VersionInfo, ...] = ()
    account: str = ""
    read_at: str = ""
    alarms_unreadable: str = ""
    """Why the alarms could not be read (denied, failed); empty when they were read."""
    routes: tuple[StageRoute, ...] = ()
    """What each stage's integrations invoke, when the API's integrations were read."""
    routing_problems: tuple[str, ...] = ()
    """Stages that do not route by the service's stage variable (never a gate: a warning)."""
    routing_unreadable: str = ""
    trail_previous: PreviousLive | None = None
    """Where a rollback goes when the production alias carries no record of bgtui's (its
    description is its owners'): from the audit record of the change that left it as it is."""
    """Why the API's integrations could not be read; empty when they were (or no API)."""

    def colour_alias(self, colour: Colour) -> AliasState | None:
        return self.blue if colour is Colour.BLUE else self.green

    @property
    def record(self) -> LiveRecord | None:
        return LiveRecord.from_description(self.live.description) if self.live else None

    @property
    def live_colour(self) -> Colour | None:
        """The live colour: from the record, else the colour whose version `live` runs."""
        if self.ref.two_alias:
            # The production alias is its own router: the blue slot always plays live.
            return Colour.BLUE if self.live is not None else None
        record = self.record
        if record is not None:
            return record.colour
        if self.live is None:
            return None
        matches = [
            c for c in Colour if (a := self.colour_alias(c)) and a.version == self.live.version
        ]
        return matches[0] if len(matches) == 1 else None

    @property
    def idle_colour(self) -> Colour | None:
        live = self.live_colour
        return live.other if live else None

    @property
    def live_alias(self) -> AliasState | None:
        colour = self.live_colour
        return self.colour_alias(colour) if colour else None

    @property
    def idle_alias(self) -> AliasState | None:
        colour = self.idle_colour
        return self.colour_alias(colour) if colour else None

    @property
    def keeps_record(self) -> bool:
        """Whether bgtui may keep its record (previous version, watch window) in the production
        alias's Description: it is empty or one bgtui wrote. Someone else's is never replaced."""
        return self.live is None or may_replace_description(self.live.description)

    @property
    def previous(self) -> PreviousLive | None:
        record = self.record
        return record.previous if record else self.trail_previous

    @property
    def problems(self) -> tuple[str, ...]:
        """Why this state is not a clean blue/green pair, if it is not."""
        found: list[str] = []
        held: tuple[AliasState | None, ...] = (self.blue, self.green, self.live)
        if self.ref.two_alias:
            held = (self.live, self.green)
        for name, alias in zip(self.ref.alias_names, held, strict=True):
            if alias is None:
                found.append(f"alias {name} is missing")
        if self.live and self.record is None and not self.ref.two_alias:
            found.append("the live alias carries no bgtui record")
        # Without its stages a service either serves nothing or cannot be tested in isolation.
        if self.ref.api_id:
            for stage in (self.ref.prod_stage, self.ref.test_stage):
                if stage not in self.stages:
                    found.append(f"stage {stage} is missing")
        live_alias = self.live_alias
        if self.live and live_alias and live_alias.version != self.live.version:
            found.append(
                f"{self.ref.live_alias} runs version {self.live.version} but "
                f"{self.live_colour} holds {live_alias.version}"
            )
        return tuple(found)

    def alarms_for(self, scope: str) -> tuple[AlarmState, ...]:
        return tuple(a for a in self.alarms if a.scope == scope)

    def stage_alias(self, stage: str) -> str | None:
        found = self.stages.get(stage)
        return found.lambda_alias if found else None


@dataclass(frozen=True)
class InvokeResult:
    """The answer of one invocation of an alias."""

    status_code: int
    payload: str
    function_error: str = ""
    executed_version: str = ""


@dataclass(frozen=True)
class Identity:
    """Who is acting: the AWS caller and the local user@host."""

    account: str
    arn: str
    local: str
