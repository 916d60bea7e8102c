"""One colour's Lambda logs (both colours side by side when wide), followed by workers of its own.

Logs can hold secrets and personal data: they are shown here and kept in memory only,
never written to disk. Each pane follows one version; on AWS that is one Live Tail
session each ($0.01 a minute, see adapters/aws/lambda_logs.py), so both panes cost twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, RichLog, Static
from textual.worker import get_current_worker

from bgtui.app.service import ReleaseService
from bgtui.core.errors import BgtuiError
from bgtui.core.logs import LineKind, LogEvent, chosen_version, event_lines, matches
from bgtui.core.models import Colour, ServiceState
from bgtui.core.plain_text import printable
from bgtui.ui.widgets.steady_input import SteadyInput

WIDE_COLUMNS = 160
"""Both colours side by side from here: two panes of 80 columns, each as wide as the
narrowest terminal the console is built for, so a log line wraps as it would there."""
SINCE = timedelta(minutes=15)
MAX_EVENTS_KEPT = 2000
"""Events kept per pane (in memory only); older ones scroll away."""
STYLES = {LineKind.ERROR: "bold red", LineKind.TRACE: "red", LineKind.NORMAL: ""}


@dataclass
class LogsArrived(Message):
    """New events of one pane's version, oldest first."""

    colour: Colour
    events: Sequence[LogEvent] = field(default_factory=list)


@dataclass
class LogsFailed(Message):
    """Reading one pane's logs failed; the pane says why, in one line."""

    colour: Colour
    error: str


class LogPane(Vertical):
    """The events of one colour's version, filtered, with errors marked by word and symbol."""

    def __init__(self, colour: Colour, version: str, live: bool, chosen: bool) -> None:
        super().__init__(id=f"pane-{colour.value}", classes=f"-{colour.value}")
        self.colour, self.version, self.live = colour, version, live
        self.set_class(chosen, "-chosen")
        self.events: list[LogEvent] = []

    def compose(self) -> ComposeResult:
        role = "LIVE" if self.live else "idle"
        title = f"{self.colour.symbol} {role} {self.colour.value} v{printable(self.version)}"
        yield Static(Text(title), classes="pane-title")
        yield Static("reading…", classes="pane-state")
        yield RichLog(id=f"log-{self.colour.value}", wrap=True, markup=False, max_lines=20000)

    def add(self, events: Sequence[LogEvent], text: str) -> None:
        self.events = (self.events + list(events))[-MAX_EVENTS_KEPT:]
        self._write([event for event in events if matches(event, text)])
        self._state(f"{len(self.events)} events · following")

    def show(self, text: str) -> None:
        """Draw every kept event again under a new filter."""
        self.query_one(RichLog).clear()
        chosen = [event for event in self.events if matches(event, text)]
        self._write(chosen)
        shown = f"{len(chosen)} of {len(self.events)} events match {printable(text)!r}"
        self._state(shown if text else f"{len(self.events)} events · following")

    def failed(self, error: str) -> None:
        self._state(f"✖ {printable(error)}")

    def _state(self, text: str) -> None:
        # Errors quote AWS's answer: shown literally, never as markup.
        self.query_one(".pane-state", Static).update(Text(text))

    def _write(self, events: Sequence[LogEvent]) -> None:
        log = self.query_one(RichLog)
        for event, line in event_lines(events):
            stamp = f"{event.timestamp:%H:%M:%S} "
            log.write(Text(stamp + printable(line.shown), style=STYLES[line.kind]))


class LogsScreen(Screen[None]):
    """Opened by `l`: the selected colour's logs, or both colours on a wide terminal."""

    CSS_PATH = "logs.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "focus_filter", "Filter"),
    ]

    def __init__(
        self,
        state: ServiceState,
        colour: Colour,
        service: ReleaseService,
        clock: Callable[[], datetime],
        since: timedelta = SINCE,
    ) -> None:
        super().__init__()
        self.state, self.colour, self.service = state, colour, service
        self.clock, self.since = clock, since

    def compose(self) -> ComposeResult:
        function = printable(self.state.ref.function)
        yield Static(
            Text(
                f"Logs · {function} · last {_minutes(self.since)} and following · "
                "shown only, never written to disk"
            ),
            id="logs-title",
        )
        yield SteadyInput(placeholder="filter: text in the message (escape: back)", id="filter")
        with Horizontal(id="panes"):
            yield from self._panes()
        yield Footer()

    def _panes(self) -> list[LogPane]:
        wide = self.app.size.width >= WIDE_COLUMNS
        colours = [c for c in (Colour.BLUE, Colour.GREEN) if wide or c is self.colour]
        panes = []
        for colour in colours:
            try:
                _, version = chosen_version(self.state, colour.value)
            except BgtuiError:
                continue
            live = self.state.live_colour is colour
            panes.append(LogPane(colour, version, live, chosen=colour is self.colour))
        return panes

    def on_mount(self) -> None:
        for pane in self.query(LogPane):
            self.follow(pane.colour, pane.version)
        self.query_one("#filter", Input).focus()

    @work(thread=True, exit_on_error=False, group="logs")
    def follow(self, colour: Colour, version: str) -> None:
        worker = get_current_worker()
        function = self.state.ref.function
        start = self.clock() - self.since
        try:
            batches = self.service.follow_logs(
                function, version, start, lambda: worker.is_cancelled
            )
            for batch in batches:
                if batch and not worker.is_cancelled:
                    self.post_message(LogsArrived(colour, batch))
        except BgtuiError as error:
            self.post_message(LogsFailed(colour, f"{error.title}: {error}"))

    def on_logs_arrived(self, message: LogsArrived) -> None:
        pane = self._pane(message.colour)
        if pane is not None:
            pane.add(message.events, self.query_one("#filter", Input).value)

    def on_logs_failed(self, message: LogsFailed) -> None:
        pane = self._pane(message.colour)
        if pane is not None:
            pane.failed(message.error)

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        for pane in self.query(LogPane):
            pane.show(event.value)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def _pane(self, colour: Colour) -> LogPane | None:
        found = self.query(f"#pane-{colour.value}")
        return found.first(LogPane) if found else None


def _minutes(window: timedelta) -> str:
    return f"{int(window.total_seconds() // 60)} min"
