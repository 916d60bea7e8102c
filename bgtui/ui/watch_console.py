"""The console's side of the watch: judge each metrics read, roll back on a breach in a worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from textual.notifications import SeverityLevel

from bgtui.app.service import ReleaseService
from bgtui.core.catalog import guarded_by_aws
from bgtui.core.errors import BgtuiError, Conflict
from bgtui.core.models import ServiceState
from bgtui.core.watch import Status, WatchReport, WatchThresholds, WatchWindow, evaluate
from bgtui.core.watch_loop import service_thresholds
from bgtui.ui.model import ConsoleModel

WATCH_GROUP = "watch"


def window_of(state: ServiceState, base: WatchThresholds) -> WatchWindow | None:
    return WatchWindow.of(state, service_thresholds(base, state.ref))


@dataclass
class ConsoleWatch:
    """Which windows are open on the services the console holds, and which breaches it acted on."""

    thresholds: WatchThresholds
    handled: set[tuple[str, str]] = field(default_factory=set)
    """(function, window end) of the breaches already rolled back from here: each only once."""
    seen_open: set[tuple[str, str]] = field(default_factory=set)
    """(row, window end) of the windows this console watched while open: only those it saw
    can it say passed (a window long over when the console started is not announced again)."""

    def open_services(self, model: ConsoleModel, now: datetime) -> set[str]:
        """Services whose window is open, or over but not yet judged complete."""
        found = set()
        for function, state in model.known.items():
            window = window_of(state, self.thresholds)
            if window is not None and (window.open_at(now) or self._pending(model, state, now)):
                found.add(function)
        return found

    def _pending(self, model: ConsoleModel, state: ServiceState, now: datetime) -> bool:
        report = self.report(model, state, now)
        return report is not None and report.status is Status.WATCHING

    def report(self, model: ConsoleModel, state: ServiceState, now: datetime) -> WatchReport | None:
        window = window_of(state, self.thresholds)
        if window is None:
            return None
        return evaluate(window, state, model.window(model.key_of(state.ref)), now)

    def panel(
        self, model: ConsoleModel, state: ServiceState | None, now: datetime
    ) -> tuple[WatchWindow | None, WatchReport | None, datetime, bool]:
        """What the selected service's watch panel shows, and whether a guard in AWS acts too."""
        if state is None:
            return None, None, now, False
        window, report = window_of(state, self.thresholds), self.report(model, state, now)
        return window, report, now, guarded_by_aws(state.ref)

    def passes(self, model: ConsoleModel, now: datetime) -> list[tuple[ServiceState, WatchReport]]:
        """After a metrics read: the windows watched from here that have now passed, once each."""
        found = []
        for function, state in model.known.items():
            window = window_of(state, self.thresholds)
            if window is None:
                continue
            key = (function, state.record.watch_until if state.record else "")
            report = self.report(model, state, now)
            if report is not None and report.status is Status.WATCHING:
                self.seen_open.add(key)
            elif report is not None and report.status is Status.PASSED and key in self.seen_open:
                self.seen_open.discard(key)
                found.append((state, report))
        return found

    def breaches(
        self, model: ConsoleModel, now: datetime
    ) -> list[tuple[ServiceState, WatchReport]]:
        """After a metrics read: every open window that breached and was not acted on yet."""
        found = []
        for function in sorted(self.open_services(model, now)):
            state = model.known[function]
            report = self.report(model, state, now)
            key = (function, state.record.watch_until if state.record else "")
            if report is None or report.status is not Status.BREACH or key in self.handled:
                continue
            self.handled.add(key)
            found.append((state, report))
        return found


def roll_back(
    service: ReleaseService, state: ServiceState, report: WatchReport
) -> tuple[str, str, SeverityLevel]:
    """The same rollback an operator makes, from the state the breach was seen in.

    Blocks on AWS (run it in a worker); answers the title, text and severity to show.
    """
    function = state.ref.function
    try:
        result = service.auto_rollback(state, report)
    except Conflict:
        text = f"breach ({report.measured}), but live changed first: rolled back elsewhere"
        return f"Watch: {function}", text, "warning"
    except BgtuiError as error:
        return (
            f"Watch: {function}",
            f"breach ({report.measured}); the rollback failed: {error}",
            "error",
        )
    return f"Auto-rollback: {function}", f"{report.measured}. {result.message}", "warning"
