"""Two-person promote: the approval request kept on the idle colour's alias, and its gate.

The request lives in the Description of the idle colour's alias, written with UpdateAlias and the
RevisionId observed: the alias is a resource bgtui already owns, every operator on every host
reads it with the state, and RevisionId gives a real compare-and-swap (a stale write fails with
PreconditionFailed). A deploy to the idle colour rewrites that Description, so a request dies
with the version it was made for. Lambda caps a Description at 256 characters: principals are
kept without their ARN prefix and the reason is shortened to what fits (the audit trail keeps it
whole).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bgtui.core import policy as names
from bgtui.core.change import Change
from bgtui.core.errors import Refused
from bgtui.core.gates import GateResult
from bgtui.core.models import ServiceState

SCHEMA = "bgtui/approval-v1"
DESCRIPTION_LIMIT = 256


def principal_of(arn: str) -> str:
    """The principal an ARN acts as, short: `ACCOUNT:user/NAME`, `ACCOUNT:role/NAME`.

    Sessions of one assumed role are one principal: the session name is chosen by whoever
    assumes the role, so it cannot tell two people apart.
    """
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return arn
    account, resource = parts[4], parts[5]
    kind, _, rest = resource.partition("/")
    if not rest:
        return f"{account}:{resource}"
    if parts[2] == "sts" and kind == "assumed-role":
        return f"{account}:role/{rest.split('/')[0]}"
    return f"{account}:{kind}/{rest.rsplit('/', 1)[-1]}"


@dataclass(frozen=True)
class ApprovalRequest:
    """A request to promote one exact version, and the principals who approved it."""

    version: str
    code_sha256: str
    requester: str
    reason: str
    requested_at: datetime
    expires_at: datetime
    approvers: tuple[str, ...] = ()

    def approved_by(self, principal: str) -> ApprovalRequest:
        return replace(self, approvers=(*self.approvers, principal))

    @property
    def second_people(self) -> tuple[str, ...]:
        """Approvers other than the requester, each once."""
        return tuple(dict.fromkeys(p for p in self.approvers if p != self.requester))

    def to_description(self) -> str:
        """The alias Description: everything but the reason must fit, the reason gets the rest."""
        doc: dict[str, object] = {
            "s": SCHEMA,
            "v": self.version,
            "sha": self.code_sha256,
            "by": self.requester,
            "at": int(self.requested_at.timestamp()),
            "exp": int(self.expires_at.timestamp()),
            "ok": list(self.approvers),
            "why": "",
        }
        bare = _dump(doc)
        if len(bare) > DESCRIPTION_LIMIT:
            raise Refused("the approval request does not fit an alias description")
        doc["why"] = self.reason
        text = _dump(doc)
        keep = min(len(self.reason), DESCRIPTION_LIMIT - len(bare))
        while len(text) > DESCRIPTION_LIMIT:
            # A character may take six in JSON (\\uXXXX): shorten until the whole text fits.
            keep -= 1
            doc["why"] = self.reason[:keep] + "…" if keep > 0 else ""
            text = _dump(doc)
        return text

    @classmethod
    def from_description(cls, text: str) -> ApprovalRequest | None:
        """The request an alias carries; None when its Description is anything else."""
        try:
            doc = json.loads(text)
        except (TypeError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("s") != SCHEMA:
            return None
        try:
            return cls(
                version=str(doc["v"]),
                code_sha256=str(doc["sha"]),
                requester=str(doc["by"]),
                reason=str(doc.get("why", "")),
                requested_at=datetime.fromtimestamp(int(doc["at"]), UTC),
                expires_at=datetime.fromtimestamp(int(doc["exp"]), UTC),
                approvers=tuple(str(p) for p in doc.get("ok", [])),
            )
        except (KeyError, ValueError, TypeError, OverflowError):
            return None


def _dump(doc: dict[str, object]) -> str:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True)


def pending_request(state: ServiceState) -> ApprovalRequest | None:
    """The request the idle colour's alias carries, whatever its validity."""
    idle = state.idle_alias
    return ApprovalRequest.from_description(idle.description) if idle else None


def request_problem(
    state: ServiceState, request: ApprovalRequest | None, code_sha256: str, now: datetime
) -> str:
    """Why `request` cannot stand for promoting the idle colour now, or '' when it can."""
    idle = state.idle_alias
    if idle is None:
        return "no idle colour to promote"
    if request is None:
        return f"no approval request for {idle.name} v{idle.version}"
    if request.version != idle.version or request.code_sha256 != code_sha256:
        return (
            f"the request was for v{request.version}; {idle.name} now holds v{idle.version}"
            if request.version != idle.version
            else f"the code of v{idle.version} is not the code the request was made for"
        )
    if now >= request.expires_at:
        return f"the request by {request.requester} expired at {request.expires_at:%H:%M}Z"
    record = state.record
    if record is not None and record.changed_at >= f"{request.requested_at:%Y-%m-%dT%H:%M:%SZ}":
        return f"live was swapped at {record.changed_at} after the request was made"
    return ""


def approved_gate(
    state: ServiceState, code_sha256: str, required: int, now: datetime
) -> GateResult:
    """Whether enough principals other than the requester approved this exact version."""
    request = pending_request(state)
    problem = request_problem(state, request, code_sha256, now)
    if problem:
        return GateResult(names.GATE_APPROVED, False, problem)
    assert request is not None
    people = request.second_people
    if len(people) < required:
        waiting = required - len(people)
        detail = (
            f"requested by {request.requester}: waiting for {waiting} approval(s) "
            f"by another principal (bgtui approve {state.ref.function})"
        )
        return GateResult(names.GATE_APPROVED, False, detail)
    detail = f"requested by {request.requester}, approved by {', '.join(people)}"
    return GateResult(names.GATE_APPROVED, True, detail)


def with_approval(
    gates: Sequence[GateResult], state: ServiceState, code_sha256: str, required: int, now: datetime
) -> tuple[GateResult, ...]:
    """The promote gates, with the approval gate when policy asks for approvals."""
    if required <= 0:
        return tuple(gates)
    return (*gates, approved_gate(state, code_sha256, required, now))


def awaits_approval(change: Change) -> bool:
    """The promote stops at the `approved` gate: a request is wanted (or one is waiting)."""
    return any(g.name == names.GATE_APPROVED and not g.passed for g in change.failed_gates)
