"""Audit records of operations: who acted, intents, outcomes and refusals, and their remote copy."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import Actor, AuditRecord, Target
from bgtui.core.change import Action, Change, Outcome
from bgtui.core.errors import BgtuiError
from bgtui.core.gates import GateResult
from bgtui.core.models import AliasState, Identity, ServiceRef, ServiceState
from bgtui.core.ports import AuditSinkPort, IdentityPort


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


ISO_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def intent_target(change: Change) -> Target:
    return Target(change.target_colour.value, change.target_version)


class Recorder:
    """Writes each step of an operation to the audit trail and copies it to the service's group."""

    def __init__(
        self,
        audit: AuditTrail,
        identity: IdentityPort,
        sink: AuditSinkPort | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.audit = audit
        self.identity = identity
        self.sink = sink
        self.clock = clock
        self._whoami: Identity | None = None

    def forget_identity(self) -> None:
        """Ask who the caller is again next time (credentials were refreshed)."""
        self._whoami = None

    def actor(self) -> Identity:
        """Who is acting, asked once per session (and again after `forget_identity`)."""
        if self._whoami is None:
            self._whoami = self.identity.whoami()
        return self._whoami

    def now_text(self) -> str:
        return self.clock().astimezone(UTC).strftime(ISO_SECONDS)

    def record(
        self, state: ServiceState, action: Action, phase: str, reason: str, **fields: Any
    ) -> AuditRecord:
        """Append one step of `action` on the service of `state`, as read before it."""
        actor = self.actor()
        record = AuditRecord(
            action=action.value,
            phase=phase,
            function=state.ref.function,
            region=state.ref.region,
            account=actor.account,
            actor=Actor(actor.arn, actor.local),
            before=state_snapshot(state),
            reason=reason,
            **fields,
        )
        return self.audit.append(record)

    def intent(self, change: Change) -> AuditRecord:
        """The intent, durably written before the one write it announces."""
        source = change.source.describe() if change.source is not None else None
        return self.record(
            change.state,
            change.action,
            "intent",
            change.reason,
            gates=change.gates,
            target=intent_target(change),
            source=source,
            extra=dict(change.recorded),
        )

    def refusal(
        self,
        state: ServiceState,
        action: Action,
        reason: str,
        gates: tuple[GateResult, ...],
        why: str,
    ) -> AuditRecord:
        return self.record(
            state, action, "outcome", reason, gates=gates, outcome=Outcome.REFUSED.value, error=why
        )

    def conflict(self, state: ServiceState, action: Action, reason: str, why: str) -> AuditRecord:
        return self.record(
            state, action, "outcome", reason, outcome=Outcome.CONFLICT.value, error=why
        )

    def outcome(
        self,
        change: Change,
        intent: AuditRecord,
        outcome: Outcome,
        error: str,
        after: ServiceState | None = None,
        warnings: tuple[str, ...] = (),
    ) -> AuditRecord:
        """The outcome answering `intent`, with the state the change produced when it succeeded."""
        return self.record(
            change.state,
            change.action,
            "outcome",
            change.reason,
            gates=change.gates,
            outcome=outcome.value,
            error=error,
            intent=intent.seq,
            target=intent.target,
            after=state_snapshot(after) if after is not None else None,
            warnings=warnings or None,
            extra=dict(change.recorded),
        )

    def ship(self, ref: ServiceRef, first: AuditRecord) -> tuple[str, ...]:
        """Copy the records of this operation, from `first` on, to the service's log group."""
        if self.sink is None or not ref.audit_log_group:
            return ()
        records = [
            r for r in self.audit.records() if r.seq >= first.seq and r.function == ref.function
        ]
        lines = [json.dumps(r.to_json(), sort_keys=True) for r in records]
        try:
            self.sink.ship(ref.audit_log_group, lines)
        except BgtuiError as error:
            return (f"audit copy to {ref.audit_log_group} failed: {error}",)
        return ()
