"""`bgtui promote … --watch` and `bgtui watch FN`: one line per minute, auto-rollback on breach."""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TextIO

from bgtui.app.service import ReleaseService
from bgtui.cli import render
from bgtui.cli.options import service_for
from bgtui.core.change import Change
from bgtui.core.errors import EXIT_OK, EXIT_REFUSED, BadInput, Refused
from bgtui.core.metrics_schedule import FULL_EVERY, slot_start
from bgtui.core.plain_text import printable
from bgtui.core.watch import Status
from bgtui.core.watch_loop import ServiceWatch, WatchTick, passed_text

_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h)?\s*$")
Sleep = Callable[[float], None]


def parse_duration(text: str) -> int:
    """Minutes from `10`, `10m` or `1h`; the watch needs at least one minute."""
    found = _DURATION.match(text)
    if not found or int(found.group(1)) == 0:
        raise BadInput(f"--watch takes a duration such as 10m or 1h, not {text!r}")
    minutes = int(found.group(1)) * (60 if found.group(2) == "h" else 1)
    if minutes > 24 * 60:
        raise BadInput(f"--watch {text}: at most 24h")
    return minutes


def promote_and_watch(
    service: ReleaseService,
    change: Change,
    args: argparse.Namespace,
    confirm_and_run: Callable[[ReleaseService, Change, argparse.Namespace], int],
    out: TextIO | None = None,
    sleep: Sleep = time.sleep,
) -> int:
    """Swap with the window recorded in the same write, then watch it to its end."""
    thresholds = service.watch_thresholds(change.state.ref)
    minutes = parse_duration(args.watch) if args.watch else thresholds.minutes
    if minutes <= 0:
        raise BadInput("the watch is off ([watch] minutes = 0): give --watch a duration")
    watched = change.with_watch(minutes)
    if watched.watch_impossible:
        raise Refused(
            f"cannot watch {change.function}: {watched.watch_impossible}; nothing was changed"
            " (promote without --watch to release it unwatched)"
        )
    confirm_and_run(service, watched, args)
    return follow(service, change.state.ref.function, out, sleep)


def watch(args: argparse.Namespace) -> int:
    """`bgtui watch FN`: attach to the window the live record holds, from any host."""
    return follow(service_for(args), args.function, None, time.sleep)


def follow(service: ReleaseService, function: str, out: TextIO | None, sleep: Sleep) -> int:
    """Tick once a minute until the window passes (0) or rolls back (1)."""
    out = out or sys.stdout
    ref = service.find(function)
    watcher = service.service_watch(ref)
    first = watcher.tick()
    if first.report is None:
        raise Refused(f"no watch is open on {function}: the live record holds no watch end")
    described = watcher.thresholds.describe()
    _say(out, f"watching {function} until {first.report.until:%H:%M:%S}Z: {described}")
    tick = first
    while True:
        code = _show(out, watcher, tick)
        if code is not None:
            return code
        sleep(_seconds_to_next_minute(service.backend.clock()))
        tick = watcher.tick()


def _show(out: TextIO, watch: ServiceWatch, tick: WatchTick) -> int | None:
    """Print what this tick found; the exit code once the watch is over."""
    report = tick.report
    if report is None:
        live = tick.state.live
        _say(
            out, f"the watch was closed by another change: live is v{live.version if live else '?'}"
        )
        return EXIT_REFUSED
    for minute in watch.new_minutes(report):
        _say(out, minute.line())
    if tick.rollback is not None:
        _say(out, f"auto-rollback: {report.measured}")
        out.write(render.result_text(tick.rollback))
        return EXIT_REFUSED
    if tick.rolled_back_elsewhere:
        _say(out, f"breach ({report.measured}); rolled back by another watcher first")
        return EXIT_REFUSED
    if report.status is Status.WATCHING:
        return None
    _say(out, passed_text(report, tick.pass_claim))
    return EXIT_OK if report.status is Status.PASSED else EXIT_REFUSED


def _say(out: TextIO, line: str) -> None:
    out.write(printable(line) + "\n")
    out.flush()


def _seconds_to_next_minute(now: datetime) -> float:
    """Until the next minute's datapoints can have landed (the console's metrics slot)."""
    due = slot_start(now, FULL_EVERY) + FULL_EVERY
    return max((due - now) / timedelta(seconds=1), 1.0)
