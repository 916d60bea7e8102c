"""Pilot helpers: let workers and messages settle, type text, read what a widget shows."""

from __future__ import annotations

import io
import time

from rich.console import Console
from rich.segment import Segment
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkerState

from bgtui.ui.app import BgtuiApp

ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)


async def settle(pilot: Pilot[None], rounds: int = 2, limit_s: float = 10.0) -> None:
    """Wait until no worker runs and the messages they posted were handled.

    Polls instead of `workers.wait_for_complete()`, which raises when an exclusive worker
    was replaced by a newer one — normal in the console, not a failure.
    """
    app = pilot.app
    deadline = time.monotonic() + limit_s
    for _ in range(rounds):
        while any(w.state in ACTIVE for w in app.workers):
            assert time.monotonic() < deadline, "workers still running"
            await pilot.pause(0.01)
        await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    await pilot.click(selector)
    await pilot.press(*text)
    await pilot.pause()


async def select_service(pilot: Pilot[None], function: str) -> None:
    app = pilot.app
    assert isinstance(app, BgtuiApp)
    table = app.dashboard.query_one("#service-table")
    table.focus()
    for key in ("down", "up"):
        for _ in range(table.row_count):  # type: ignore[attr-defined]
            if app.model.selected == function:
                break
            await pilot.press(key)
            await pilot.pause()
    await settle(pilot)
    assert app.model.selected == function


def shown(widget: Widget) -> str:
    """The plain text a widget renders."""
    if isinstance(widget, Static):
        return str(widget.render())
    return str(widget.render())


def notifications(app: BgtuiApp) -> list[str]:
    """The toasts: only what needs attention (warnings and errors) is toasted."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def outcomes(app: BgtuiApp) -> list[str]:
    """Every line the outcome line has shown, oldest first."""
    from bgtui.ui.widgets.bars import OutcomeBar

    return list(app.dashboard.query_one(OutcomeBar).history)


async def fill(pilot: Pilot[None], selector: str, text: str) -> None:
    """Set an input's value as if typed (one Changed message instead of one per key)."""
    from textual.widgets import Input

    pilot.app.screen.query_one(selector, Input).value = text
    await pilot.pause()


def screen_segments(app: BgtuiApp) -> list[Segment]:
    """Every segment the terminal would be sent for the current screen, text and style."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), legacy_windows=False)
    update = app.screen._compositor.render_update(full=True)
    return list(console.render(update))


def screen_lines(app: BgtuiApp) -> list[str]:
    """The current screen as the operator reads it, one string per terminal row."""
    text = "".join(segment.text for segment in screen_segments(app) if not segment.control)
    return text.split("\n")[: app.size.height]


def region_text(app: BgtuiApp, widget: Widget) -> list[str]:
    """The rows of the screen inside `widget`'s region (its border included)."""
    region = widget.region
    rows = screen_lines(app)[region.y : region.y + region.height]
    return [row[region.x : region.x + region.width] for row in rows]


def column_text(rows: list[str], heading: str) -> str:
    """Everything under `heading` (a table column), with the wrapping spaces taken out."""
    start = rows[0].index(heading)
    return "".join("".join(row[start:].split()) for row in rows[1:])


def table_rows(rows: list[str], headings: list[str]) -> list[list[str]]:
    """The cells under `headings` (adjacent table columns), a list per table row; the lines a
    wrapped cell continues on (blank under the first heading) are left out."""
    starts = [rows[0].index(h) for h in headings]
    ends = [*starts[1:], starts[-1] + max(len(r) for r in rows)]
    cells = [[row[s:e].strip() for s, e in zip(starts, ends, strict=True)] for row in rows[1:]]
    return [row for row in cells if row[0]]
