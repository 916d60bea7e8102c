"""Executing a confirmed change: intent → one write → verify → test stage → outcome."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, timedelta

from bgtui.core.audit_record import AuditRecord
from bgtui.core.catalog import mapped_stage
from bgtui.core.change import Action, Change, DeploySource, OperationResult, Outcome
from bgtui.core.errors import (
    BgtuiError,
    Conflict,
    EndpointUnreachable,
    NotFound,
    OperationFailed,
    Refused,
)
from bgtui.core.models import (
    STAGE_VARIABLE,
    AliasState,
    Colour,
    LiveRecord,
    PreviousLive,
    ServiceRef,
    ServiceState,
    StageState,
    may_replace_description,
)
from bgtui.core.policy import Policy
from bgtui.core.ports import FunctionsPort, StagesPort
from bgtui.core.recording import ISO_SECONDS, Recorder

Written = tuple[ServiceState, tuple[str, ...], str]
"""What a step leaves: the state it produced, its warnings, and the message for the operator."""


class OutcomeUnknown(Exception):
    """The endpoint vanished mid-write: whether the write happened cannot be known now."""


class Executor:
    """Runs a change the operator confirmed, writing each alias once and verifying it."""

    def __init__(
        self, functions: FunctionsPort, stages: StagesPort, recorder: Recorder, policy: Policy
    ) -> None:
        self.functions = functions
        self.stages = stages
        self.recorder = recorder
        self.policy = policy

    def execute(self, change: Change, typed: str) -> OperationResult:
        """Run a confirmed change: intent → one write → verify → outcome."""
        self._refuse_unless_allowed(change, typed)
        return self._run(change, self.recorder.intent(change))

    def _refuse_unless_allowed(self, change: Change, typed: str) -> None:
        if self.policy.read_only:
            self._refuse(change, "read-only")
            raise Refused(f"read-only mode: {change.action.value} refused")
        if change.blocked:
            names = ", ".join(f"{g.name} ({g.detail})" for g in change.failed_gates)
            self._refuse(change, names)
            raise Refused(f"{change.action.value} refused by gate {names}")
        if typed.strip() != change.confirmation_text:
            why = f"confirmation did not match {change.confirmation_text!r}"
            self._refuse(change, why)
            raise Refused(f"{change.action.value} not confirmed: {why}")

    def _refuse(self, change: Change, why: str) -> None:
        self.recorder.refusal(change.state, change.action, change.reason, change.gates, why)

    def _run(self, change: Change, intent: AuditRecord) -> OperationResult:
        steps = {
            Action.PROMOTE: self._promote,
            Action.ROLLBACK: self._rollback,
            Action.AUTO_ROLLBACK: self._rollback,
            Action.DEPLOY: self._deploy,
        }
        ref = change.state.ref
        try:
            after, warnings, message = steps[change.action](change)
        except Conflict as error:
            self._end(change, intent, Outcome.CONFLICT, str(error))
            raise
        except OutcomeUnknown as error:
            self._end(change, intent, Outcome.UNKNOWN, str(error))
            raise OperationFailed(
                f"outcome unknown: {error}; bgtui will reconcile it on the next read"
            ) from None
        except BgtuiError as error:
            self._end(change, intent, Outcome.FAILED, f"{error.title}: {error}")
            raise
        self.recorder.outcome(change, intent, Outcome.OK, "", after, warnings)
        warnings = warnings + self.recorder.ship(ref, intent)
        return OperationResult(change.action, change.function, Outcome.OK, message, after, warnings)

    def _end(self, change: Change, intent: AuditRecord, outcome: Outcome, error: str) -> None:
        self.recorder.outcome(change, intent, outcome, error)
        self.recorder.ship(change.state.ref, intent)

    def _promote(self, change: Change) -> Written:
        state = change.state
        old_colour = state.live_colour
        assert old_colour is not None and state.live is not None
        record = self._live_record(change.target_colour, old_colour, state.live.version)
        if change.watch_minutes > 0:
            until = self.recorder.clock() + timedelta(minutes=change.watch_minutes)
            record = replace(record, watch_until=until.astimezone(UTC).strftime(ISO_SECONDS))
        live = self.swap_live(state, change.target_version, record)
        if state.ref.two_alias:
            return self._state_after(state, [live], None), (), _moved(change, "promoted")
        warnings, stage = self.point_test_stage(state, old_colour)
        message = (
            f"{state.ref.function}: live is now {change.target_colour.value} "
            f"v{change.target_version} (was {old_colour.value} v{state.live.version})"
        )
        return self._state_after(state, [live], stage), warnings, message

    def _rollback(self, change: Change) -> Written:
        state = change.state
        old_colour = state.live_colour
        assert old_colour is not None and state.live is not None
        record = self._live_record(change.target_colour, old_colour, state.live.version)
        live = self.swap_live(state, change.target_version, record)
        if state.ref.two_alias:
            return self._state_after(state, [live], None), (), _moved(change, "rolled back")
        restored, colour_alias = self.restore_colour(state, change)
        pointed, stage = self.point_test_stage(state, old_colour)
        message = (
            f"{state.ref.function}: rolled back, live is {change.target_colour.value} "
            f"v{change.target_version} (was {old_colour.value} v{state.live.version})"
        )
        written = [live, colour_alias] if colour_alias else [live]
        return self._state_after(state, written, stage), restored + pointed, message

    def _deploy(self, change: Change) -> Written:
        state, source = change.state, change.source
        assert source is not None
        idle = state.colour_alias(change.target_colour)
        if idle is None:
            alias = state.ref.alias_name(change.target_colour)
            raise NotFound(f"alias {alias} of {change.function} is missing")
        version = self._version_to_deploy(change, source)
        if version == idle.version:
            # PublishVersion answers with the last version when nothing changed: say so.
            warnings, stage = self.point_test_stage(state, change.target_colour)
            return self._state_after(state, [], stage), warnings, _unchanged(idle, source)
        description = json.dumps(
            {
                "schema": "bgtui/colour-v1",
                "at": self.recorder.now_text(),
                "source": source.describe(),
            },
            separators=(",", ":"),
            sort_keys=True,
        )[:256]
        if state.ref.two_alias and not may_replace_description(idle.description):
            # The candidate alias belongs to the stack's owners: their description stays.
            description = idle.description
        written = self.write(change.function, idle, version, description)
        verified = self.verify(change.function, idle.name, version, written.description)
        warnings, stage = self.point_test_stage(state, change.target_colour)
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
            stages[stage.name] = mapped_stage(state.ref, stage)
        ref = state.ref
        return replace(
            state,
            blue=aliases.get(ref.alias_name(Colour.BLUE), state.blue),
            green=aliases.get(ref.alias_name(Colour.GREEN), state.green),
            live=aliases.get(ref.live_alias, state.live),
            stages=stages,
            read_at=self.recorder.now_text(),
        )

    def _version_to_deploy(self, change: Change, source: DeploySource) -> str:
        description = f"bgtui deploy: {change.reason}"[:256]
        if source.kind == "version":
            return source.version
        if source.kind == "zip":
            self.functions.update_code(change.function, source.zip_bytes)
        return self.functions.publish_version(change.function, description).version

    def _live_record(self, colour: Colour, old_colour: Colour, old_version: str) -> LiveRecord:
        actor = self.recorder.actor()
        return LiveRecord(
            colour=colour,
            previous=PreviousLive(old_colour, old_version),
            changed_at=self.recorder.now_text(),
            changed_by=actor.arn.rsplit("/", 1)[-1] if actor.arn else actor.local,
        )

    def swap_live(self, state: ServiceState, version: str, record: LiveRecord) -> AliasState:
        """The swap itself: ONE UpdateAlias on live carrying the observed revision, then verify."""
        assert state.live is not None
        description = record.to_description()
        if state.ref.two_alias and not state.keeps_record:
            # Someone else's description on the production alias is kept: without bgtui's
            # record there, a later rollback says plainly that no previous version is known.
            description = state.live.description
        written = self.write(state.ref.function, state.live, version, description)
        return self.verify(state.ref.function, state.ref.live_alias, version, written.description)

    def write(
        self, function: str, observed: AliasState, version: str, description: str
    ) -> AliasState:
        """One UpdateAlias with the revision observed; a lost answer is re-read, never resent."""
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
            raise OutcomeUnknown(
                f"alias {observed.name} write sent, endpoint lost ({cause})"
            ) from None
        if now.version == version and now.description == description:
            return now
        if now.revision_id == observed.revision_id:
            raise OperationFailed(f"alias {observed.name} was not changed: {cause}")
        raise Conflict(f"alias {observed.name} of {function} was changed by someone else")

    def verify(self, function: str, alias: str, version: str, description: str) -> AliasState:
        """Re-read the alias just written: it must hold what was written."""
        try:
            now = self.functions.get_alias(function, alias)
        except EndpointUnreachable as error:
            raise OutcomeUnknown(f"alias {alias} written, verification failed ({error})") from None
        if now.version != version or now.description != description:
            raise Conflict(
                f"verification of {function}:{alias} found v{now.version}, expected v{version}"
            )
        return now

    def restore_colour(
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

    def point_test_stage(
        self, state: ServiceState, colour: Colour
    ) -> tuple[tuple[str, ...], StageState | None]:
        """Point the test stage at `colour`, then at whatever colour is idle by now."""
        ref = state.ref
        if not ref.api_id or not ref.stage_variable or ref.two_alias:
            return (), None
        stage = None
        try:
            if state.stage_alias(ref.test_stage) != ref.alias_name(colour):
                stage = self._point(ref, ref.alias_name(colour))
            idle = self._idle_now(ref)
            # Another operator's swap may have landed between ours and this stage write:
            # testers must end on the colour that is idle now, whoever wrote last.
            if idle is not None and idle is not colour:
                stage = self._point(ref, ref.alias_name(idle))
        except BgtuiError as error:
            return (f"stage {ref.test_stage} may not point at the idle colour: {error}",), stage
        return (), stage

    def _point(self, ref: ServiceRef, alias: str) -> StageState:
        if ref.stage_variable == STAGE_VARIABLE:
            return self.stages.point_stage(ref.api_id, ref.test_stage, alias)
        return self.stages.point_stage(ref.api_id, ref.test_stage, alias, ref.stage_variable)

    def _idle_now(self, ref: ServiceRef) -> Colour | None:
        record = LiveRecord.from_description(
            self.functions.get_alias(ref.function, ref.live_alias).description
        )
        return record.colour.other if record else None


def _moved(change: Change, verb: str) -> str:
    """What a two-alias promote or rollback did, by the aliases' real names."""
    ref, live = change.state.ref, change.state.live
    was = f" (was v{live.version})" if live else ""
    return f"{ref.function}: {verb}, {ref.live_alias} now runs v{change.target_version}{was}"


def _unchanged(idle: AliasState, source: DeploySource) -> str:
    held = f"{idle.name} already holds v{idle.version}"
    if source.kind == "latest":
        return f"$LATEST is unchanged: {held}; nothing changed"
    return f"{held}; nothing changed"
