"""`bgtui logs`: one colour's Lambda logs, read back or followed, as text or JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import TextIO

from bgtui.app.wiring import Backend
from bgtui.core.errors import EXIT_OK, OperationFailed
from bgtui.core.logs import LOG_TARGETS, LogEvent, chosen_version, event_lines, matches, parse_since
from bgtui.core.plain_text import printable

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


def run(
    args: argparse.Namespace,
    out: TextIO | None = None,
    backend: Backend | None = None,
    stopped: Callable[[], bool] = lambda: False,
) -> int:
    """Print the events; with --follow keep printing until interrupted (or `stopped()`)."""
    out = out or sys.stdout
    window = parse_since(args.since)
    if backend is None:
        from bgtui.cli import commands

        backend = commands.build_backend(commands.settings_from(args))
    if backend.logs is None:
        raise OperationFailed("logs cannot be read with this configuration")
    state = backend.catalog.read(backend.catalog.find(args.function))
    colour, version = chosen_version(state, args.colour)
    now = backend.clock()
    sys.stderr.write(
        f"{printable(args.function)} {colour} (version {printable(version)}) since {args.since}\n"
    )
    if args.follow:
        for batch in backend.logs.follow(args.function, version, now - window, stopped):
            _print(out, batch, colour, args)
    else:
        _print(out, backend.logs.history(args.function, version, now - window, now), colour, args)
    return EXIT_OK


def _print(out: TextIO, events: Iterable[LogEvent], colour: str, args: argparse.Namespace) -> None:
    chosen = [event for event in events if matches(event, args.filter)]
    if args.json:
        for event in chosen:
            out.write(json.dumps({**event.to_json(), "colour": colour}) + "\n")
    else:
        for event, line in event_lines(chosen):
            stamp = f"{event.timestamp:%Y-%m-%dT%H:%M:%S}Z"
            out.write(f"{stamp} [{printable(event.version)}] {printable(line.shown)}\n")
    out.flush()
