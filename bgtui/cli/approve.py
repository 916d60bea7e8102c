"""`bgtui approve`: show the standing promote request, confirm, approve as a second principal."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bgtui.app.service import ReleaseService
from bgtui.cli.options import service_for
from bgtui.core.approval import ApprovalRequest
from bgtui.core.errors import EXIT_OK, BgtuiError, Refused
from bgtui.core.models import ServiceState
from bgtui.core.plain_text import printable


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("function", metavar="FN")
    parser.add_argument("--reason", default="", metavar="T", help="why you approve")
    parser.add_argument("--yes", action="store_true", help="confirm without asking")


def approve(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    service = service_for(args)
    ref = service.find(args.function)
    state, request, problem = service.approval(ref)
    if request is not None:
        out.write(request_text(state, request, gate_lines(service, state, request)))
        out.flush()
    if request is None or problem:
        # Refused here with the reason recorded, before anything is asked.
        service.approve(ref, args.reason)
    if not args.yes and not _confirmed(ref.function):
        raise Refused(
            f"approve {ref.function} not confirmed: type the function name, "
            "or pass --yes when there is no terminal"
        )
    approved = service.approve(ref, args.reason)
    out.write(
        f"{ref.function}: v{approved.version} approved by {approved.approvers[-1]} "
        f"(requested by {approved.requester}); either may promote now\n"
    )
    return EXIT_OK


def request_text(state: ServiceState, request: ApprovalRequest, gates: list[str]) -> str:
    idle = state.idle_colour.value if state.idle_colour else "?"
    lines = [
        f"promote request for {state.ref.function} ({state.ref.environment or 'no environment'})",
        f"  who:   {request.requester} at {request.requested_at:%Y-%m-%d %H:%M}Z",
        f"  what:  {idle} v{request.version} (CodeSha256 {request.code_sha256}) to live",
        f"  why:   {request.reason}",
        f"  until: {request.expires_at:%H:%M}Z; approved by: "
        f"{', '.join(request.approvers) or 'nobody yet'}",
        "  gates:",
        *(f"    {line}" for line in gates),
    ]
    return printable("\n".join(lines), lines=True) + "\n"


def gate_lines(service: ReleaseService, state: ServiceState, request: ApprovalRequest) -> list[str]:
    try:
        change = service.prepare_promote(state.ref, None, request.reason)
    except BgtuiError as error:
        return [f"not evaluated: {error}"]
    return [f"{g.verdict:<10} {g.name}: {g.detail}" for g in change.gates]


def _confirmed(function: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"Type {function!r} to approve (anything else cancels): ").strip() == function
    except EOFError:
        return False
