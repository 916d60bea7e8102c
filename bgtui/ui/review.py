"""A prepared change re-judged as the operator types a reason and ticks gate overrides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bgtui.core.change import Change
from bgtui.core.gates import GateResult, apply_overrides, reason_gate
from bgtui.core.policy import GATE_REASON, Policy


def revise(prepared: Change, reason: str, overrides: Mapping[str, str], policy: Policy) -> Change:
    """The change with the reason gate judged on `reason` and the overrides applied.

    The state read at prepare time is kept: the write carries the revision the operator saw,
    so a change made by someone else meanwhile is refused as a conflict, never overwritten.
    """
    gates = tuple(
        reason_gate(reason, policy) if gate.name == GATE_REASON else gate for gate in prepared.gates
    )
    return replace(prepared, gates=apply_overrides(gates, overrides, policy), reason=reason.strip())


def overridable_failures(prepared: Change, policy: Policy) -> tuple[GateResult, ...]:
    """Failed gates the policy lets an operator override (with a recorded reason)."""
    return tuple(
        gate
        for gate in prepared.gates
        if not gate.passed and gate.name in policy.overridable and gate.name != GATE_REASON
    )


def blocked_reason(change: Change, typed: str) -> str:
    """Why the confirm button is disabled, in words; '' when it may be pressed."""
    if change.blocked:
        return "blocked by gate " + ", ".join(g.name for g in change.failed_gates)
    if change.typed_confirmation and typed.strip() != change.confirmation_text:
        return f"type {change.confirmation_text} to enable"
    return ""
