"""`bgtui approve`: show the standing promote request, confirm, approve as a second principal."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TextIO

from bgtui.cli.options import service_for
from bgtui.core.approval import ApprovalRequest
from bgtui.core.approval_text import gate_lines, request_lines
from bgtui.core.errors import EXIT_OK, Refused
from bgtui.core.models import ServiceState
from bgtui.core.plain_text import printable


def approve(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    service = service_for(args)
    ref = service.find(args.function)
    state, request, problem = service.approval(ref)
    if request is not None:
        gates = gate_lines(*service.request_gates(ref, request))
        out.write(request_text(state, request, gates, service.backend.clock()))
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


def request_text(
    state: ServiceState, request: ApprovalRequest, gates: list[str], now: datetime
) -> str:
    head, *rest = request_lines(state, request, now)
    lines = [head, *(f"  {line}" for line in rest), "  gates:", *(f"    {g}" for g in gates)]
    return printable("\n".join(lines), lines=True) + "\n"


def _confirmed(function: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"Type {function!r} to approve (anything else cancels): ").strip() == function
    except EOFError:
        return False
