"""Gates: each check an operation passes before it mutates, reported one by one."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bgtui.core import policy as names
from bgtui.core.models import AliasState, ServiceState
from bgtui.core.policy import Policy
from bgtui.core.smoke import SmokeRecord

COLOUR_SCHEMA = "bgtui/colour-v1"
"""The JSON a deploy writes into a colour alias's Description."""


@dataclass(frozen=True)
class GateResult:
    """The verdict of one gate."""

    name: str
    passed: bool
    detail: str
    overridable: bool = False
    override_reason: str = ""

    @property
    def satisfied(self) -> bool:
        return self.passed or bool(self.override_reason)

    @property
    def verdict(self) -> str:
        if self.passed:
            return "pass"
        return "overridden" if self.override_reason else "FAIL"

    def as_dict(self) -> dict[str, object]:
        doc: dict[str, object] = {"gate": self.name, "result": self.verdict, "detail": self.detail}
        if self.override_reason:
            doc["override"] = self.override_reason
        return doc


def apply_overrides(
    gates: Sequence[GateResult], overrides: Mapping[str, str], policy: Policy
) -> tuple[GateResult, ...]:
    """Mark failed, overridable gates as overridden where the operator asked, with a reason."""
    result = []
    for gate in gates:
        reason = overrides.get(gate.name, "").strip()
        if not gate.passed and reason and gate.name in policy.overridable:
            gate = replace(gate, override_reason=reason)
        result.append(gate)
    return tuple(result)


def reason_gate(reason: str, policy: Policy) -> GateResult:
    problem = policy.reason_problem(reason)
    return GateResult(names.GATE_REASON, not problem, problem or f"reason: {reason.strip()}")


def consistency_gate(state: ServiceState) -> GateResult:
    problems = state.problems
    detail = "; ".join(problems) if problems else "aliases and live record agree"
    return GateResult(names.GATE_CONSISTENT, not problems, detail)


def idle_differs_gate(state: ServiceState) -> GateResult:
    idle, live = state.idle_alias, state.live
    if idle is None or live is None:
        return GateResult(names.GATE_IDLE_DIFFERS, False, "no idle colour to promote")
    if idle.version == live.version:
        return GateResult(
            names.GATE_IDLE_DIFFERS, False, f"{idle.name} already runs live version {live.version}"
        )
    return GateResult(
        names.GATE_IDLE_DIFFERS, True, f"{idle.name} v{idle.version} vs live v{live.version}"
    )


def smoke_gate(
    state: ServiceState, smoke: SmokeRecord | None, policy: Policy, now: datetime
) -> GateResult:
    idle = state.idle_alias
    overridable = names.GATE_SMOKE in policy.overridable
    if idle is None:
        return GateResult(names.GATE_SMOKE, False, "no idle colour", overridable)
    if smoke is None or smoke.version != idle.version:
        detail = f"no smoke run recorded for {idle.name} v{idle.version}"
        return GateResult(names.GATE_SMOKE, False, detail, overridable)
    age = now - smoke.at
    if age > timedelta(minutes=policy.smoke_max_age_minutes):
        minutes = int(age.total_seconds() // 60)
        detail = f"last smoke run of v{idle.version} is {minutes} min old"
        return GateResult(names.GATE_SMOKE, False, detail, overridable)
    verdict = "passed" if smoke.passed else "FAILED"
    detail = f"smoke {verdict} for v{idle.version} at {smoke.at:%H:%M:%S}Z: {smoke.summary}"
    return GateResult(names.GATE_SMOKE, smoke.passed, detail, overridable)


def idle_alarms_gate(state: ServiceState, policy: Policy) -> GateResult:
    idle = state.idle_colour
    overridable = names.GATE_IDLE_ALARMS in policy.overridable
    if idle is None:
        return GateResult(names.GATE_IDLE_ALARMS, False, "no idle colour", overridable)
    if state.alarms_unreadable:
        detail = f"alarms unreadable: {state.alarms_unreadable}"
        return GateResult(names.GATE_IDLE_ALARMS, False, detail, overridable)
    deployed = deployed_at(state.colour_alias(idle))
    firing = [a for a in state.alarms_for(idle.value) if a.firing]
    # An alarm that fired before the idle colour got its version is about the version before:
    # a version that failed must never block the fix deployed after it.
    earlier = [a for a in firing if a.since and deployed and a.since < deployed]
    blocking = [a.name for a in firing if a not in earlier]
    if blocking:
        return GateResult(
            names.GATE_IDLE_ALARMS, False, f"in ALARM: {', '.join(blocking)}", overridable
        )
    if earlier:
        about = ", ".join(f"{a.name} (since {a.since:%H:%M})" for a in earlier if a.since)
        detail = f"in ALARM before this version was deployed, about an earlier one: {about}"
        return GateResult(names.GATE_IDLE_ALARMS, True, detail)
    return GateResult(names.GATE_IDLE_ALARMS, True, f"no {idle.value} alarm in ALARM")


def deployed_at(alias: AliasState | None) -> datetime | None:
    """When bgtui pointed this colour at its version (its description records it), if known."""
    try:
        doc = json.loads(alias.description) if alias else None
    except ValueError:
        return None
    if not isinstance(doc, dict) or doc.get("schema") != COLOUR_SCHEMA:
        return None
    try:
        return datetime.strptime(str(doc.get("at", "")), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def promote_gates(
    state: ServiceState, smoke: SmokeRecord | None, reason: str, policy: Policy, now: datetime
) -> tuple[GateResult, ...]:
    return (
        consistency_gate(state),
        idle_differs_gate(state),
        smoke_gate(state, smoke, policy, now),
        idle_alarms_gate(state, policy),
        reason_gate(reason, policy),
    )


def rollback_gates(state: ServiceState, reason: str, policy: Policy) -> tuple[GateResult, ...]:
    previous = state.previous
    ref = state.ref
    if previous is None and ref.two_alias:
        detail = (
            f"no previous version of {ref.live_alias} is recorded yet: bgtui records it in the "
            "audit trail when it promotes, and the alias has been written since (or the "
            "promote was made elsewhere)"
        )
        prev_gate = GateResult(names.GATE_PREVIOUS, False, detail)
    elif previous is None:
        prev_gate = GateResult(names.GATE_PREVIOUS, False, "no previous live version is recorded")
    else:
        detail = f"previous live: {ref.alias_name(previous.colour)} v{previous.version}"
        if state.record is None:
            detail += " (from the audit trail: the change that left it as it is)"
        prev_gate = GateResult(names.GATE_PREVIOUS, True, detail)
    return (prev_gate, reason_gate(reason, policy))
