"""A promote request as the console shows it: the list's word, the detail's and dialog's lines."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message

from bgtui.core.approval import ApprovalRequest, pending_request
from bgtui.core.approval_text import approvers_text, expiry_text
from bgtui.core.change import Change
from bgtui.core.gates import GateResult
from bgtui.core.models import ServiceState
from bgtui.core.plain_text import printable
from bgtui.core.watch import parse_utc

APPROVE_KEY = "o"
SHORT_SHA = 12


@dataclass
class ApprovalRead(Message):
    """The request to approve, as read now, and the promote's gates as they stand."""

    state: ServiceState
    request: ApprovalRequest
    gates: tuple[GateResult, ...]
    gates_problem: str = ""


@dataclass
class ApprovalDone(Message):
    """The acting principal's approval was written to the idle colour's alias."""

    function: str
    request: ApprovalRequest


@dataclass
class ApprovalRequested(Message):
    """A promote needs a second person: the request was made (or one stands already)."""

    function: str
    request: ApprovalRequest


def standing(state: ServiceState) -> ApprovalRequest | None:
    """The idle colour's request when it is for the version idle holds and not expired."""
    request = pending_request(state)
    idle = state.idle_alias
    if request is None or idle is None or request.version != idle.version:
        return None
    read_at = parse_utc(state.read_at)
    return None if read_at is not None and read_at >= request.expires_at else request


def row_word(state: ServiceState) -> str:
    """`approve?` while a request waits for a second person, `approved` once it has one."""
    request = standing(state)
    if request is None:
        return ""
    return "approved" if request.second_people else "approve?"


def summary_rows(state: ServiceState) -> list[Text]:
    """The request on the idle colour, in words: who, what, why, until when, who approved."""
    request = pending_request(state)
    if request is None:
        return []
    idle = state.idle_alias
    colour = idle.name if idle else "idle"
    sha = request.code_sha256[:SHORT_SHA] + ("…" if len(request.code_sha256) > SHORT_SHA else "")
    head = (
        f"⧗ PROMOTE REQUEST by {request.requester}: {colour} v{request.version} "
        f"(CodeSha256 {sha}) to live"
    )
    if idle is not None and request.version != idle.version:
        tail = f"   STALE: {colour} now holds v{idle.version}; promote again to ask anew"
    else:
        tail = (
            f"   why: {request.reason} · {expiry_text(request, parse_utc(state.read_at))}"
            f" · approved by: {approvers_text(request)} · {APPROVE_KEY}: approve"
        )
    return [Text(printable(head), style="bold"), Text(printable(tail))]


def wanted_lines(change: Change, minutes: int) -> list[str]:
    """Why the promote cannot go on yet, and what asking does."""
    state = change.state
    idle = state.idle_alias
    what = f"{idle.name} v{idle.version}" if idle else "the idle colour"
    return [
        f"{change.function}: promoting {what} to live needs another principal's approval",
        "Give the reason or change ticket: the request is kept on the idle colour's alias",
        f"for {minutes} min, for this exact version. Another principal presses {APPROVE_KEY}",
        f"here (or runs bgtui approve {change.function}); then promote again.",
    ]
