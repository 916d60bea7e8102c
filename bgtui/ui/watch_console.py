"""The console's side of the watch: judge each metrics read, roll back on a breach in a worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Protocol

from bgtui.app.wiring import Backend
from bgtui.core.auto_rollback import auto_rollback
from bgtui.core.errors import BgtuiError, Conflict
from bgtui.core.models import ServiceState
from bgtui.core.watch import Status, WatchReport, WatchThresholds, WatchWindow, evaluate
from bgtui.core.watch_loop import service_thresholds
from bgtui.ui.model import ConsoleModel

WATCH_GROUP = "watch"


class _WatchingApp(Protocol):
    backend: Backend

    def run_worker(self, work: object, **options: object) -> object: ...

    def call_from_thread(self, callback: object, *args: object, **kwargs: object) -> object: ...

    def notify(self, message: str, **options: object) -> None: ...

    def refresh_now(self, metrics_now: bool = False) -> None: ...


def window_of(state: ServiceState, base: WatchThresholds) -> WatchWindow | None:
    return WatchWindow.of(state, service_thresholds(base, state.ref))


@dataclass
class ConsoleWatch:
    """Which windows are open on the services the console holds, and which breaches it acted on."""

    thresholds: WatchThresholds
    handled: set[tuple[str, str]] = field(default_factory=set)
    """(function, window end) of the breaches already rolled back from here: each only once."""

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
        return evaluate(window, state, model.window(state.ref.function), now)

    def panel(
        self, model: ConsoleModel, state: ServiceState | None, now: datetime
    ) -> tuple[WatchWindow | None, WatchReport | None, datetime]:
        """What the selected service's watch panel shows."""
        if state is None:
            return None, None, now
        return window_of(state, self.thresholds), self.report(model, state, now), now

    def act(self, app: _WatchingApp, model: ConsoleModel, now: datetime) -> None:
        """After a metrics read: roll back every service whose open window breached."""
        for function in sorted(self.open_services(model, now)):
            state = model.known[function]
            report = self.report(model, state, now)
            key = (function, state.record.watch_until if state.record else "")
            if report is None or report.status is not Status.BREACH or key in self.handled:
                continue
            self.handled.add(key)
            app.run_worker(
                partial(_roll_back, app, state, report),
                thread=True,
                group=f"{WATCH_GROUP}:{function}",
                exit_on_error=False,
            )


def _roll_back(app: _WatchingApp, state: ServiceState, report: WatchReport) -> None:
    """The same rollback an operator makes, from the state the breach was seen in."""
    function = state.ref.function
    operations = app.backend.operations
    actor = operations.actor()
    by = actor.arn.rsplit("/", 1)[-1] if actor.arn else actor.local
    try:
        result = auto_rollback(operations, state, report, by)
    except Conflict:
        text = f"breach ({report.measured}), but live changed first: rolled back elsewhere"
        app.call_from_thread(app.notify, text, title=f"Watch: {function}", severity="warning")
    except BgtuiError as error:
        text = f"breach ({report.measured}); the rollback failed: {error}"
        app.call_from_thread(app.notify, text, title=f"Watch: {function}", severity="error")
    else:
        text = f"{report.measured}. {result.message}"
        app.call_from_thread(
            app.notify, text, title=f"Auto-rollback: {function}", severity="warning", timeout=30
        )
    app.call_from_thread(app.refresh_now, True)
