"""A prepared change: what an operation will do, its gates, and what it needs confirmed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bgtui.core.gates import GateResult
from bgtui.core.models import Colour, ServiceState


class Action(StrEnum):
    """The operations bgtui performs on a service."""

    DEPLOY = "deploy"
    TEST = "test"
    PROMOTE = "promote"
    ROLLBACK = "rollback"
    AUTO_ROLLBACK = "auto-rollback"
    RECONCILE = "reconcile"
    REQUEST_APPROVAL = "approval-request"
    APPROVE = "approve"
    WATCH = "watch"


class Outcome(StrEnum):
    """How an operation ended, as the audit trail records it."""

    OK = "ok"
    FAILED = "failed"
    REFUSED = "refused"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DeploySource:
    """Where the version to deploy comes from: a zip, `$LATEST`, or an existing version."""

    kind: str
    zip_bytes: bytes = b""
    zip_name: str = ""
    version: str = ""

    @classmethod
    def from_zip(cls, name: str, data: bytes) -> DeploySource:
        return cls("zip", zip_bytes=data, zip_name=name)

    @classmethod
    def from_latest(cls) -> DeploySource:
        return cls("latest")

    @classmethod
    def existing(cls, version: str) -> DeploySource:
        return cls("version", version=version)

    def describe(self) -> str:
        if self.kind == "zip":
            return f"zip {self.zip_name} ({len(self.zip_bytes)} bytes)"
        if self.kind == "latest":
            return "a new version published from $LATEST"
        return f"existing version {self.version}"


@dataclass(frozen=True)
class Change:
    """Everything an operator must see before confirming one mutation."""

    action: Action
    state: ServiceState
    gates: tuple[GateResult, ...]
    reason: str
    target_colour: Colour
    target_version: str
    source: DeploySource | None = None
    typed_confirmation: bool = True
    watch_minutes: int = 0
    """A promote opens a watch window this long, recorded with the swap; 0 opens none."""
    recorded: Mapping[str, str] = field(default_factory=dict)
    """Extra fields for its audit records (an automatic rollback's rule and measured values)."""
    watch_impossible: str = ""
    """Why a watch asked for cannot be opened with this promote ('' when it can)."""

    def with_watch(self, minutes: int) -> Change:
        """This promote opening a watch window `minutes` long, recorded in the swap's own write;
        where the production alias cannot hold bgtui's record, no window and the reason."""
        if minutes <= 0:
            return self
        if not self.state.keeps_record:
            live = self.state.ref.live_alias
            why = (
                f"{live}'s description is its owners', so the window cannot be recorded "
                "(clear it, or adopt the stack)"
            )
            return replace(self, watch_minutes=0, watch_impossible=why)
        return replace(self, watch_minutes=minutes, watch_impossible="")

    @property
    def function(self) -> str:
        return self.state.ref.function

    @property
    def failed_gates(self) -> tuple[GateResult, ...]:
        return tuple(g for g in self.gates if not g.satisfied)

    @property
    def blocked(self) -> bool:
        return bool(self.failed_gates)

    @property
    def confirmation_text(self) -> str:
        """What the operator must type: the function name for production, else `yes`."""
        return self.function if self.typed_confirmation else "yes"

    def before_after(self) -> list[tuple[str, str, str]]:
        """(what, before, after) rows describing the exact change, aliases by their names."""
        state, ref = self.state, self.state.ref
        live_colour = state.live_colour.value if state.live_colour else "?"
        live = f"v{state.live.version}" if state.live else "?"
        production = f"alias {ref.live_alias} (production)"
        if self.action is Action.DEPLOY:
            idle = state.colour_alias(self.target_colour)
            before = f"v{idle.version}" if idle else "missing"
            after = f"v{self.target_version}" if self.target_version else self.source_text
            role = "candidate" if ref.two_alias else "idle"
            return [
                (f"alias {ref.alias_name(self.target_colour)} ({role})", before, after),
                (production, live, "unchanged"),
            ]
        if ref.two_alias:
            # Only the production alias moves: each stage routes to its own alias by name.
            candidate = state.colour_alias(Colour.GREEN)
            rows = [
                (production, live, f"v{self.target_version}"),
                (
                    f"alias {ref.candidate_alias} (candidate)",
                    f"v{candidate.version}" if candidate else "missing",
                    "unchanged",
                ),
            ]
        else:
            rows = [
                ("live colour", live_colour, self.target_colour.value),
                (production, live, f"v{self.target_version}"),
                (f"stage {ref.test_stage}", self.target_colour.value, live_colour),
            ]
        if self.watch_minutes > 0:
            # The swap opens the window in its own write: the operator agrees to it here.
            rows.append(("watch, rolls back on breach", "none", f"{self.watch_minutes} min"))
        elif self.watch_impossible:
            rows.append(("watch, rolls back on breach", "none", "not possible"))
        return rows

    @property
    def source_text(self) -> str:
        return self.source.describe() if self.source else ""


@dataclass(frozen=True)
class OperationResult:
    """How one executed change ended."""

    action: Action
    function: str
    outcome: Outcome
    message: str
    state_after: ServiceState | None = None
    warnings: tuple[str, ...] = ()
