"""Preparing changes: the state read for a change, its gates, and refusals before any write."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from bgtui.core import gates as gate_checks
from bgtui.core.approval import with_approval
from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.change import Action, Change, DeploySource
from bgtui.core.errors import Conflict, Refused
from bgtui.core.gates import GateResult
from bgtui.core.models import Colour, PreviousLive, ServiceRef, ServiceState
from bgtui.core.policy import GATE_VERSION, Policy
from bgtui.core.ports import FunctionsPort
from bgtui.core.reconciling import Reconciler
from bgtui.core.recording import Recorder


class Planner:
    """Turns an operator's request into a `Change` with every gate evaluated, or refuses it."""

    def __init__(
        self,
        catalog: Catalog,
        functions: FunctionsPort,
        recorder: Recorder,
        reconciler: Reconciler,
        policy: Policy,
        clock: Callable[[], datetime],
    ) -> None:
        self.catalog = catalog
        self.functions = functions
        self.recorder = recorder
        self.reconciler = reconciler
        self.policy = policy
        self.clock = clock

    def prepare_promote(
        self,
        ref: ServiceRef,
        to: Colour | None = None,
        reason: str = "",
        overrides: Mapping[str, str] | None = None,
    ) -> Change:
        state = self._read_for_change(ref, Action.PROMOTE, reason)
        idle = state.idle_colour
        if to is not None and idle is not None and to is not idle:
            self._refuse_conflict(state, Action.PROMOTE, reason, f"{to.value} is live, not idle")
        smoke = None
        if state.idle_alias is not None:
            audit = self.recorder.audit
            smoke = audit.latest_smoke(ref.function, ref.region, state.idle_alias.version)
        checks = gate_checks.promote_gates(state, smoke, reason, self.policy, self.clock())
        required = self.policy.approvals_for(ref.environment)
        if required and state.idle_alias is not None:
            sha = code_sha256(self.functions, ref.function, state.idle_alias.version)
            checks = with_approval(checks, state, sha, required, self.clock())
        checks = gate_checks.apply_overrides(checks, overrides or {}, self.policy)
        target = state.idle_alias
        return self._change(
            Action.PROMOTE, state, checks, reason, idle, target.version if target else ""
        )

    def prepare_rollback(
        self, ref: ServiceRef, from_colour: Colour | None = None, reason: str = ""
    ) -> Change:
        state = with_trail_previous(
            self._read_for_change(ref, Action.ROLLBACK, reason), self.recorder.audit
        )
        live = state.live_colour
        if from_colour is not None and live is not None and from_colour is not live:
            detail = f"{from_colour.value} is not live any more ({live.value} is)"
            self._refuse_conflict(state, Action.ROLLBACK, reason, detail)
        checks = gate_checks.rollback_gates(state, reason, self.policy)
        previous = state.previous
        colour = previous.colour if previous else (live.other if live else None)
        return self._change(
            Action.ROLLBACK, state, checks, reason, colour, previous.version if previous else ""
        )

    def prepare_deploy(self, ref: ServiceRef, source: DeploySource, reason: str = "") -> Change:
        state = self._read_for_change(ref, Action.DEPLOY, reason)
        checks = [
            gate_checks.consistency_gate(state),
            gate_checks.reason_gate(reason, self.policy),
        ]
        if source.kind == "version":
            checks.append(self.version_gate(ref, source.version))
        return self._change(
            Action.DEPLOY, state, tuple(checks), reason, state.idle_colour, source.version, source
        )

    def version_gate(self, ref: ServiceRef, version: str) -> GateResult:
        """An existing version may be deployed only if it is a published version of the function."""
        if not version.isdigit():
            return GateResult(GATE_VERSION, False, f"{version!r} is not a published version number")
        exists = self.functions.version_exists(ref.function, version)
        detail = f"version {version} {'exists' if exists else 'does not exist'}"
        return GateResult(GATE_VERSION, exists, detail)

    def _change(
        self,
        action: Action,
        state: ServiceState,
        checks: tuple[GateResult, ...],
        reason: str,
        colour: Colour | None,
        version: str,
        source: DeploySource | None = None,
    ) -> Change:
        if colour is None:
            problems = "; ".join(state.problems) or "no live colour could be determined"
            self.recorder.refusal(state, action, reason, (), f"cannot {action.value}: {problems}")
            raise Refused(f"cannot {action.value} {state.ref.function}: {problems}")
        # Promote and rollback move production traffic: they need the function name typed.
        typed = self.policy.typed_confirmation and action is not Action.DEPLOY
        return Change(action, state, checks, reason.strip(), colour, version, source, typed)

    def _read_for_change(self, ref: ServiceRef, action: Action, reason: str) -> ServiceState:
        state = self.catalog.read(ref)
        self.reconciler.reconcile(state)
        if self.policy.read_only:
            detail = f"read-only mode: {action.value} refused"
            self.recorder.refusal(state, action, reason, (), detail)
            raise Refused(f"{detail} for {ref.function}")
        return state

    def _refuse_conflict(self, state: ServiceState, action: Action, reason: str, why: str) -> None:
        self.recorder.conflict(state, action, reason, why)
        raise Conflict(f"{action.value} {state.ref.function}: {why}; re-read the state")


def with_trail_previous(state: ServiceState, audit: AuditTrail) -> ServiceState:
    """The state with where a rollback goes taken from the audit trail, when the production
    alias carries no record of bgtui's (two aliases whose description is their owners'): the
    version before the promote or rollback that left production as it is now. Written since
    by anyone else (another revision id), production has no known previous version."""
    live = state.live
    if live is None or state.previous is not None or not state.ref.two_alias:
        return state
    record = audit.change_that_left(state.ref.function, state.ref.region, live)
    before = (record.before.get("live") if record else None) or {}
    version = str(before.get("version", "")) if isinstance(before, dict) else ""
    if not version or version == live.version:
        return state
    return replace(state, trail_previous=PreviousLive(Colour.BLUE, version))


def code_sha256(functions: FunctionsPort, function: str, version: str) -> str:
    """The CodeSha256 of one published version; '' when the version is not listed."""
    found = [v.code_sha256 for v in functions.list_versions(function) if v.version == version]
    return found[0] if found else ""
