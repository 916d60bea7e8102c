"""A promote request in words (who, what, why, until, gates), as both front ends show it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bgtui.core.approval import ApprovalRequest
from bgtui.core.gates import GateResult
from bgtui.core.models import ServiceState


def expiry_text(request: ApprovalRequest, now: datetime | None) -> str:
    if now is None:
        return f"until {request.expires_at:%H:%M}Z"
    if now >= request.expires_at:
        return f"EXPIRED at {request.expires_at:%H:%M}Z"
    minutes = -(-int((request.expires_at - now).total_seconds()) // 60)
    return f"expires in {minutes} min ({request.expires_at:%H:%M}Z)"


def approvers_text(request: ApprovalRequest) -> str:
    return ", ".join(request.approvers) or "nobody yet"


def request_lines(state: ServiceState, request: ApprovalRequest, now: datetime) -> list[str]:
    """Who asked, for which exact version, why, and until when; who approved so far."""
    idle = state.idle_colour.value if state.idle_colour else "?"
    ref = state.ref
    return [
        f"promote request for {ref.function} ({ref.environment or 'no environment'})",
        f"who:   {request.requester} at {request.requested_at:%Y-%m-%d %H:%M}Z",
        f"what:  {idle} v{request.version} (CodeSha256 {request.code_sha256}) to live",
        f"why:   {request.reason}",
        f"until: {expiry_text(request, now)}; approved by: {approvers_text(request)}",
    ]


def gate_lines(gates: Sequence[GateResult], problem: str = "") -> list[str]:
    """One line per gate of the promote the request is for, or why they were not evaluated."""
    if problem:
        return [f"not evaluated: {problem}"]
    return [f"{g.verdict:<10} {g.name}: {g.detail}" for g in gates]
