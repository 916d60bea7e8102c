"""`bgtui logs`: one colour's Lambda logs, read back or followed, as text or JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from bgtui.app.shapes import log_event_document
from bgtui.core.errors import EXIT_OK
from bgtui.core.logs import LOG_TARGETS, LogEvent, event_lines, matches, parse_since
from bgtui.core.plain_text import printable

if TYPE_CHECKING:
    from bgtui.app.service import ReleaseService

DEFAULT_SINCE = "15m"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("function", metavar="FN")
    parser.add_argument(
        "--colour",
        default="live",
        type=_target,
        metavar="|".join(LOG_TARGETS),
        help="whose logs: a colour, or the live one (default live)",
    )
    parser.add_argument(
        "--since", default=DEFAULT_SINCE, metavar="15m", help="how far back: 30s, 15m, 2h, 1d"
    )
    parser.add_argument("--follow", action="store_true", help="keep printing new events")
    parser.add_argument("--filter", default="", metavar="TEXT", help="only events with TEXT")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")


def _target(text: str) -> str:
    if text.strip().lower() not in LOG_TARGETS:
        raise argparse.ArgumentTypeError(f"colour must be blue, green or live, not {text!r}")
    return text.strip().lower()


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
