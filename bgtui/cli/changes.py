"""`bgtui deploy`, `promote` and `rollback`: prepare, show, confirm on the terminal, execute."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bgtui.app.deploy_source import DeployRequest
from bgtui.app.service import ReleaseService
from bgtui.cli import render
from bgtui.cli.options import service_for
from bgtui.core.approval import awaits_approval
from bgtui.core.change import Change
from bgtui.core.errors import EXIT_OK, Refused
from bgtui.core.models import Colour
from bgtui.core.plain_text import printable
from bgtui.core.whereabouts import Whereabouts


def deploy(args: argparse.Namespace) -> int:
    service = service_for(args)
    change = service.prepare_deploy(service.find(args.function), deploy_request(args))
    return confirm_and_run(service, change, args)


def deploy_request(args: argparse.Namespace) -> DeployRequest:
    if args.zip is not None:
        return DeployRequest("zip", args.reason, zip_path=str(args.zip))
    if args.from_latest:
        return DeployRequest("latest", args.reason)
    return DeployRequest("version", args.reason, version=str(args.deploy_version))


def promote(args: argparse.Namespace) -> int:
    service = service_for(args)
    to = Colour(args.to) if args.to else None
    ref = service.find(args.function)
    change = service.prepare_promote(ref, to, args.reason, args.override)
    if awaits_approval(change):
        ask_for_approval(service, change)
        change = service.prepare_promote(ref, to, args.reason, args.override)
    if getattr(args, "watch", None) is not None:
        from bgtui.cli import watch as watching

        return watching.promote_and_watch(service, change, args, confirm_and_run)
    return confirm_and_run(service, change, args)


def ask_for_approval(service: ReleaseService, change: Change, out: TextIO | None = None) -> None:
    """Make (or keep) the request a second principal approves; the promote then stops at it."""
    out = out or sys.stdout
    ref = change.state.ref
    request = service.request_approval(ref, change.reason)
    out.write(
        f"approval request by {request.requester} for v{request.version} of {ref.function}, "
        f"until {request.expires_at:%H:%M}Z: another principal runs "
        f"`bgtui approve {ref.function} --reason ...`, then promote again\n"
    )


def rollback(args: argparse.Namespace) -> int:
    service = service_for(args)
    from_colour = Colour(args.from_colour) if args.from_colour else None
    change = service.prepare_rollback(service.find(args.function), from_colour, args.reason)
    return confirm_and_run(service, change, args)


def confirm_and_run(
    service: ReleaseService, change: Change, args: argparse.Namespace, out: TextIO | None = None
) -> int:
    out = out or sys.stdout
    where = service.whereabouts(identify=True).for_service(change.state.ref)
    out.write(render.change_text(change))
    out.write(printable(where.confirmation_line(change.function)) + "\n")
    out.flush()
    if not args.yes and not change.blocked and not sys.stdin.isatty():
        try:
            service.execute(change, "")  # refused and recorded: nothing to confirm on
        except Refused:
            raise Refused(
                f"{change.action.value} needs confirmation and there is no terminal: "
                "pass --yes to confirm non-interactively"
            ) from None
    typed = _ask(change, args.yes, where)
    result = service.execute(change, typed)
    out.write(render.result_text(result))
    return EXIT_OK


def _ask(change: Change, assume_yes: bool, where: Whereabouts | None = None) -> str:
    if assume_yes:
        return change.confirmation_text
    if change.blocked:
        return ""  # execute refuses and records which gate failed
    expected = printable(repr(change.confirmation_text))
    # The account and environment again, beside the name typed: the last look before acting.
    beside = (
        f" in account {where.account_text}, environment {where.environment_text}" if where else ""
    )
    action = f"{change.action.value} {change.function}{beside}"
    prompt = f"Type {expected} to {printable(action)} (anything else cancels): "
    try:
        return input(prompt)
    except EOFError:
        return ""
