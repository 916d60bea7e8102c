"""The blue/green operations — deploy, test, promote, rollback — with gates, audit and verify."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bgtui.core import gates as gate_checks
from bgtui.core.audit import AuditTrail, Record
from bgtui.core.catalog import Catalog
from bgtui.core.change import Action, Change, DeploySource, OperationResult, Outcome
from bgtui.core.errors import (
    BgtuiError,
    Conflict,
    EndpointUnreachable,
    NotFound,
    OperationFailed,
    Refused,
)
from bgtui.core.gates import GateResult
from bgtui.core.models import (
    LIVE_ALIAS,
    AliasState,
    Colour,
    Identity,
    LiveRecord,
    PreviousLive,
    ServiceRef,
    ServiceState,
    StageState,
)
from bgtui.core.policy import GATE_VERSION, Policy
from bgtui.core.ports import AuditSinkPort, FunctionsPort, HttpPort, IdentityPort, StagesPort
from bgtui.core.smoke import CheckResult, run_checks, summarise


@dataclass(frozen=True)
class SmokeReport:
    """The results of one smoke run against the idle colour."""

    state: ServiceState
    colour: Colour
    version: str
    results: tuple[CheckResult, ...]
    warnings: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def summary(self) -> str:
        return summarise(self.results)


_ISO = "%Y-%m-%dT%H:%M:%SZ"


class _Unknown(Exception):
    """The endpoint vanished mid-write: whether the write happened cannot be known now."""


def state_snapshot(state: ServiceState) -> dict[str, Any]:
    """The part of a state the audit trail records before and after a change."""
    return {
        "live_colour": state.live_colour.value if state.live_colour else None,
        "live": _alias_doc(state.live),
        "blue": _alias_doc(state.blue),
        "green": _alias_doc(state.green),
        "test_stage": state.stage_alias(state.ref.test_stage),
    }


def _alias_doc(alias: AliasState | None) -> dict[str, str] | None:
    if alias is None:
        return None
    return {"version": alias.version, "revision": alias.revision_id}


def took_effect(state: ServiceState, pending: Record) -> bool | None:
    """Whether an operation of unknown outcome shows in the state read now; None when the
    state cannot tell (a deploy from a zip or `$LATEST` names no version in advance)."""
    target = pending.get("target", {})
    colour, version = target.get("colour"), target.get("version")
    if pending.get("action") in (Action.PROMOTE, Action.ROLLBACK, Action.AUTO_ROLLBACK):
        return (
            state.live is not None
            and state.live.version == version
            and state.live_colour is not None
            and state.live_colour.value == colour
        )
    if pending.get("action") == Action.DEPLOY and version and colour in set(Colour):
        alias = state.colour_alias(Colour(colour))
        return alias is not None and alias.version == version
    return None


class BlueGreen:
    """Prepares and executes changes on services; policy is enforced here, not in front ends."""

    def __init__(
        self,
        catalog: Catalog,
        functions: FunctionsPort,
        stages: StagesPort,
        audit: AuditTrail,
        identity: IdentityPort,
        policy: Policy,
        sink: AuditSinkPort | None = None,
        http: HttpPort | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.catalog = catalog
        self.functions = functions
        self.stages = stages
        self.audit = audit
        self.identity = identity
        self.policy = policy
        self.sink = sink
        self.http = http
        self.clock = clock
        self._whoami: Identity | None = None

    # -- preparing -------------------------------------------------------------------------

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
            smoke = self.audit.latest_smoke(ref.function, ref.region, state.idle_alias.version)
        checks = gate_checks.promote_gates(state, smoke, reason, self.policy, self.clock())
        checks = gate_checks.apply_overrides(checks, overrides or {}, self.policy)
        target = state.idle_alias
        return self._change(
            Action.PROMOTE, state, checks, reason, idle, target.version if target else ""
        )

    def prepare_rollback(
        self, ref: ServiceRef, from_colour: Colour | None = None, reason: str = ""
    ) -> Change:
        state = self._read_for_change(ref, Action.ROLLBACK, reason)
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
            checks.append(self._version_gate(ref, source.version))
        return self._change(
            Action.DEPLOY, state, tuple(checks), reason, state.idle_colour, source.version, source
        )

    def _version_gate(self, ref: ServiceRef, version: str) -> GateResult:
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
            self._record_refusal(state, action, reason, (), f"cannot {action.value}: {problems}")
            raise Refused(f"cannot {action.value} {state.ref.function}: {problems}")
        # Promote and rollback move production traffic: they need the function name typed.
        typed = self.policy.typed_confirmation and action is not Action.DEPLOY
        return Change(action, state, checks, reason.strip(), colour, version, source, typed)

    def _read_for_change(self, ref: ServiceRef, action: Action, reason: str) -> ServiceState:
        state = self.catalog.read(ref)
        self.reconcile(state)
        if self.policy.read_only:
            detail = f"read-only mode: {action.value} refused"
            self._record_refusal(state, action, reason, (), detail)
            raise Refused(f"{detail} for {ref.function}")
        return state

    def _refuse_conflict(self, state: ServiceState, action: Action, reason: str, why: str) -> None:
        self._append(state, action, "outcome", reason, outcome=Outcome.CONFLICT, error=why)
        raise Conflict(f"{action.value} {state.ref.function}: {why}; re-read the state")

    # -- executing -------------------------------------------------------------------------

    def execute(self, change: Change, typed: str) -> OperationResult:
        """Run a confirmed change: intent → one write → verify → outcome."""
        if self.policy.read_only:
            self._record_refusal(
                change.state, change.action, change.reason, change.gates, "read-only"
            )
            raise Refused(f"read-only mode: {change.action.value} refused")
        if change.blocked:
            names = ", ".join(f"{g.name} ({g.detail})" for g in change.failed_gates)
            self._record_refusal(change.state, change.action, change.reason, change.gates, names)
            raise Refused(f"{change.action.value} refused by gate {names}")
        if typed.strip() != change.confirmation_text:
            why = f"confirmation did not match {change.confirmation_text!r}"
            self._record_refusal(change.state, change.action, change.reason, change.gates, why)
            raise Refused(f"{change.action.value} not confirmed: {why}")
        intent = self._append(
            change.state,
            change.action,
            "intent",
            change.reason,
            gates=change.gates,
            extra=self._intent_extra(change),
        )
        return self._run(change, intent)

    def _intent_extra(self, change: Change) -> dict[str, Any]:
        extra: dict[str, Any] = {"target": {"colour": change.target_colour.value}}
        if change.target_version:
            extra["target"]["version"] = change.target_version
        if change.source is not None:
            extra["source"] = change.source.describe()
        extra.update(change.recorded)
        return extra

    def _run(self, change: Change, intent: Record) -> OperationResult:
        steps = {
            Action.PROMOTE: self._promote,
            Action.ROLLBACK: self._rollback,
            Action.AUTO_ROLLBACK: self._rollback,
            Action.DEPLOY: self._deploy,
        }
        ref = change.state.ref
        try:
            after, warnings, message = steps[change.action](change, intent)
        except Conflict as error:
            self._outcome(change, intent, Outcome.CONFLICT, str(error))
            self._ship(ref, intent)
            raise
        except _Unknown as error:
            self._outcome(change, intent, Outcome.UNKNOWN, str(error))
            self._ship(ref, intent)
            raise OperationFailed(
                f"outcome unknown: {error}; bgtui will reconcile it on the next read"
            ) from None
        except BgtuiError as error:
            self._outcome(change, intent, Outcome.FAILED, f"{error.title}: {error}")
            self._ship(ref, intent)
            raise
        self._outcome(change, intent, Outcome.OK, "", after, warnings)
        warnings = warnings + self._ship(ref, intent)
        return OperationResult(change.action, change.function, Outcome.OK, message, after, warnings)

    def _promote(self, change: Change, intent: Record) -> tuple[ServiceState, tuple[str, ...], str]:
        state = change.state
        old_colour = state.live_colour
        assert old_colour is not None and state.live is not None
        record = self._live_record(change.target_colour, old_colour, state.live.version)
        if change.watch_minutes > 0:
            until = self.clock() + timedelta(minutes=change.watch_minutes)
            record = replace(record, watch_until=until.astimezone(UTC).strftime(_ISO))
        live = self._swap_live(state, change.target_version, record, intent)
        warnings, stage = self._point_test_stage(state, old_colour)
        message = (
            f"{state.ref.function}: live is now {change.target_colour.value} "
            f"v{change.target_version} (was {old_colour.value} v{state.live.version})"
        )
        return self._state_after(state, [live], stage), warnings, message

    def _rollback(
        self, change: Change, intent: Record
    ) -> tuple[ServiceState, tuple[str, ...], str]:
        state = change.state
        old_colour = state.live_colour
        assert old_colour is not None and state.live is not None
        record = self._live_record(change.target_colour, old_colour, state.live.version)
        live = self._swap_live(state, change.target_version, record, intent)
        restored, colour_alias = self._restore_colour(state, change)
        pointed, stage = self._point_test_stage(state, old_colour)
        message = (
            f"{state.ref.function}: rolled back, live is {change.target_colour.value} "
            f"v{change.target_version} (was {old_colour.value} v{state.live.version})"
        )
        written = [live, colour_alias] if colour_alias else [live]
        return self._state_after(state, written, stage), restored + pointed, message

    def _deploy(self, change: Change, intent: Record) -> tuple[ServiceState, tuple[str, ...], str]:
        state, source = change.state, change.source
        assert source is not None
        idle = state.colour_alias(change.target_colour)
        if idle is None:
            raise NotFound(f"alias {change.target_colour.value} of {change.function} is missing")
        version = self._version_to_deploy(change, source)
        if version == idle.version:
            # PublishVersion answers with the last version when nothing changed: say so.
            warnings, stage = self._point_test_stage(state, change.target_colour)
            return self._state_after(state, [], stage), warnings, _unchanged(idle, source)
        description = json.dumps(
            {"schema": "bgtui/colour-v1", "at": self._now_text(), "source": source.describe()},
            separators=(",", ":"),
            sort_keys=True,
        )[:256]
        written = self._write(change.function, idle, version, description)
        verified = self._verify(change.function, idle.name, version, written.description)
        warnings, stage = self._point_test_stage(state, change.target_colour)
        message = (
            f"{change.function}: {idle.name} (idle) now holds v{version}; production untouched"
        )
        return self._state_after(state, [verified], stage), warnings, message

    def _state_after(
        self, state: ServiceState, written: list[AliasState], stage: StageState | None
    ) -> ServiceState:
        """The state the verified writes produced, without reading everything again."""
        aliases = {a.name: a for a in written}
        stages = dict(state.stages)
        if stage is not None:
            stages[stage.name] = stage
        return replace(
            state,
            blue=aliases.get("blue", state.blue),
            green=aliases.get("green", state.green),
            live=aliases.get(LIVE_ALIAS, state.live),
            stages=stages,
            read_at=self._now_text(),
        )

    def _version_to_deploy(self, change: Change, source: DeploySource) -> str:
        description = f"bgtui deploy: {change.reason}"[:256]
        if source.kind == "version":
            return source.version
        if source.kind == "zip":
            self.functions.update_code(change.function, source.zip_bytes)
        return self.functions.publish_version(change.function, description).version

    def _live_record(self, colour: Colour, old_colour: Colour, old_version: str) -> LiveRecord:
        actor = self.actor()
        return LiveRecord(
            colour=colour,
            previous=PreviousLive(old_colour, old_version),
            changed_at=self._now_text(),
            changed_by=actor.arn.rsplit("/", 1)[-1] if actor.arn else actor.local,
        )

    def _swap_live(
        self, state: ServiceState, version: str, record: LiveRecord, intent: Record
    ) -> AliasState:
        """The swap itself: ONE UpdateAlias on live carrying the observed revision, then verify."""
        assert state.live is not None
        written = self._write(state.ref.function, state.live, version, record.to_description())
        return self._verify(state.ref.function, LIVE_ALIAS, version, written.description)

    def _write(
        self, function: str, observed: AliasState, version: str, description: str
    ) -> AliasState:
        try:
            return self.functions.update_alias(
                function, observed.name, version, observed.revision_id, description
            )
        except EndpointUnreachable as error:
            return self._learn_write(function, observed, version, description, error)

    def _learn_write(
        self,
        function: str,
        observed: AliasState,
        version: str,
        description: str,
        cause: EndpointUnreachable,
    ) -> AliasState:
        """The write may or may not have happened: re-read and decide, never write again blindly."""
        try:
            now = self.functions.get_alias(function, observed.name)
        except EndpointUnreachable:
            raise _Unknown(f"alias {observed.name} write sent, endpoint lost ({cause})") from None
        if now.version == version and now.description == description:
            return now
        if now.revision_id == observed.revision_id:
            raise OperationFailed(f"alias {observed.name} was not changed: {cause}")
        raise Conflict(f"alias {observed.name} of {function} was changed by someone else")

    def _verify(self, function: str, alias: str, version: str, description: str) -> AliasState:
        try:
            now = self.functions.get_alias(function, alias)
        except EndpointUnreachable as error:
            raise _Unknown(f"alias {alias} written, verification failed ({error})") from None
        if now.version != version or now.description != description:
            raise Conflict(
                f"verification of {function}:{alias} found v{now.version}, expected v{version}"
            )
        return now

    def _restore_colour(
        self, state: ServiceState, change: Change
    ) -> tuple[tuple[str, ...], AliasState | None]:
        """After a rollback, make the target colour hold the version live runs again."""
        alias = state.colour_alias(change.target_colour)
        if alias is None or alias.version == change.target_version:
            return (), None
        try:
            restored = self.functions.update_alias(
                change.function, alias.name, change.target_version, alias.revision_id, ""
            )
        except BgtuiError as error:
            return (f"{alias.name} still holds v{alias.version}: {error}",), None
        note = f"{alias.name} had been redeployed (v{alias.version})"
        return (f"{note}; reset to v{change.target_version}",), restored

    def _point_test_stage(
        self, state: ServiceState, colour: Colour
    ) -> tuple[tuple[str, ...], StageState | None]:
        ref = state.ref
        if not ref.api_id:
            return (), None
        stage = None
        try:
            if state.stage_alias(ref.test_stage) != colour.value:
                stage = self.stages.point_stage(ref.api_id, ref.test_stage, colour.value)
            idle = self._idle_now(ref)
            # Another operator's swap may have landed between ours and this stage write:
            # testers must end on the colour that is idle now, whoever wrote last.
            if idle is not None and idle is not colour:
                stage = self.stages.point_stage(ref.api_id, ref.test_stage, idle.value)
        except BgtuiError as error:
            return (f"stage {ref.test_stage} may not point at the idle colour: {error}",), stage
        return (), stage

    def _idle_now(self, ref: ServiceRef) -> Colour | None:
        record = LiveRecord.from_description(
            self.functions.get_alias(ref.function, LIVE_ALIAS).description
        )
        return record.colour.other if record else None

    # -- testing ---------------------------------------------------------------------------

    def run_smoke(self, ref: ServiceRef, expected: Colour | None = None) -> SmokeReport:
        """Smoke-check the idle colour and record the result (it feeds the promotion gate).

        With `expected`, the colour the operator saw idle: if another is idle now, nothing runs.
        """
        state = self.catalog.read(ref)
        idle, colour = state.idle_alias, state.idle_colour
        if idle is None or colour is None:
            raise Refused(f"cannot test {ref.function}: {'; '.join(state.problems)}")
        if expected is not None and colour is not expected:
            raise Conflict(f"test {ref.function}: {expected.value} is not idle any more; re-read")
        results = run_checks(self.functions, state, ref.smoke_checks, self.http)
        report = SmokeReport(state, colour, idle.version, results)
        outcome = Outcome.OK if report.passed else Outcome.FAILED
        tested = {
            "colour": colour.value,
            "version": idle.version,
            "summary": report.summary,
            "results": [r.as_dict() for r in results],
        }
        record = self._append(
            state, Action.TEST, "outcome", "", outcome=outcome, extra={"tested": tested}
        )
        return replace(report, warnings=self._ship(ref, record))

    # -- reconciling -----------------------------------------------------------------------

    def reconcile(self, state: ServiceState) -> list[Record]:
        """Settle earlier operations whose outcome was unknown, from the state read now."""
        settled = []
        for pending in self.audit.unresolved_unknowns(state.ref.function, state.ref.region):
            applied = took_effect(state, pending)
            settled.append(
                self._append(
                    state,
                    Action.RECONCILE,
                    "outcome",
                    "",
                    outcome=Outcome.OK,
                    extra={"reconciles": pending["seq"], "applied": applied},
                )
            )
        return settled

    # -- audit -----------------------------------------------------------------------------

    def _record_refusal(
        self,
        state: ServiceState,
        action: Action,
        reason: str,
        gates: tuple[GateResult, ...],
        why: str,
    ) -> None:
        self._append(state, action, "outcome", reason, gates, Outcome.REFUSED, why)

    def _outcome(
        self,
        change: Change,
        intent: Record,
        outcome: Outcome,
        error: str,
        after: ServiceState | None = None,
        warnings: tuple[str, ...] = (),
    ) -> Record:
        extra: dict[str, Any] = {"intent": intent["seq"], "target": intent.get("target", {})}
        extra.update(change.recorded)
        if after is not None:
            extra["after"] = state_snapshot(after)
        if warnings:
            extra["warnings"] = list(warnings)
        return self._append(
            change.state,
            change.action,
            "outcome",
            change.reason,
            change.gates,
            outcome,
            error,
            extra,
        )

    def _append(
        self,
        state: ServiceState,
        action: Action,
        phase: str,
        reason: str,
        gates: tuple[GateResult, ...] = (),
        outcome: Outcome | None = None,
        error: str = "",
        extra: Mapping[str, Any] | None = None,
    ) -> Record:
        actor = self.actor()
        entry: dict[str, Any] = {
            "actor": {"aws": actor.arn, "local": actor.local},
            "action": action.value,
            "phase": phase,
            "function": state.ref.function,
            "region": state.ref.region,
            "account": actor.account,
            "before": state_snapshot(state),
            "reason": reason,
            "gates": [g.as_dict() for g in gates],
            "outcome": outcome.value if outcome else None,
            "error": error,
        }
        entry.update(extra or {})
        return self.audit.append(entry)

    def _ship(self, ref: ServiceRef, intent: Record) -> tuple[str, ...]:
        """Copy this operation's records to the service's CloudWatch Logs group."""
        if self.sink is None or not ref.audit_log_group:
            return ()
        records = [
            r
            for r in self.audit.records()
            if r["seq"] >= intent["seq"] and r.get("function") == ref.function
        ]
        lines = [json.dumps(r, sort_keys=True) for r in records]
        try:
            self.sink.ship(ref.audit_log_group, lines)
        except BgtuiError as error:
            return (f"audit copy to {ref.audit_log_group} failed: {error}",)
        return ()

    def forget_identity(self) -> None:
        """Ask who the caller is again next time (credentials were refreshed)."""
        self._whoami = None

    def actor(self) -> Identity:
        """Who is acting, asked once per session (and again after `forget_identity`)."""
        if self._whoami is None:
            self._whoami = self.identity.whoami()
        return self._whoami

    def _now_text(self) -> str:
        return self.clock().astimezone(UTC).strftime(_ISO)


def _unchanged(idle: AliasState, source: DeploySource) -> str:
    held = f"{idle.name} already holds v{idle.version}"
    if source.kind == "latest":
        return f"$LATEST is unchanged: {held}; nothing changed"
    return f"{held}; nothing changed"
