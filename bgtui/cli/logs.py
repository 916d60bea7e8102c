"""`bgtui logs`: one colour's Lambda logs, read back or followed, as text or JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from bgtui.app.shapes import log_event_document
from bgtui.core.errors import EXIT_OK
from bgtui.core.logs import LogEvent, event_lines, matches, parse_since
from bgtui.core.plain_text import printable

if TYPE_CHECKING:
    from bgtui.app.service import ReleaseService


def logs(
    args: argparse.Namespace,
    out: TextIO | None = None,
    service: ReleaseService | None = None,
    stopped: Callable[[], bool] = lambda: False,
) -> int:
    """Print the events; with --follow keep printing until interrupted (or `stopped()`)."""
    out = out or sys.stdout
    window = parse_since(args.since)
    if service is None:
        # The parser imports this module for every command: the AWS wiring loads only here.
        from bgtui.cli.options import service_for

        service = service_for(args)
    colour, version = service.log_source(args.function, args.colour)
    now = service.backend.clock()
    sys.stderr.write(
        f"{printable(args.function)} {colour} (version {printable(version)}) since {args.since}\n"
    )
    if args.follow:
        for batch in service.follow_logs(args.function, version, now - window, stopped):
            _print(out, batch, colour, args)
    else:
        _print(out, service.log_history(args.function, version, now - window, now), colour, args)
    return EXIT_OK


def _print(out: TextIO, events: Iterable[LogEvent], colour: str, args: argparse.Namespace) -> None:
    chosen = [event for event in events if matches(event, args.filter)]
    if args.json:
        for event in chosen:
            out.write(json.dumps(log_event_document(event, colour)) + "\n")
    else:
        for event, line in event_lines(chosen):
            stamp = f"{event.timestamp:%Y-%m-%dT%H:%M:%S}Z"
            out.write(f"{stamp} [{printable(event.version)}] {printable(line.shown)}\n")
    out.flush()
