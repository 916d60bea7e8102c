"""The console application: built by `make_app` from a backend, fed by workers, calm under load."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import datetime
from time import perf_counter
from urllib.parse import urlparse

from textual import on
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from bgtui.backend import Backend
from bgtui.errors import BgtuiError
from bgtui.ui.actions import ConsoleActions
from bgtui.ui.messages import (
    HealthRead,
    IdentityRead,
    RefreshFailed,
    ServicesRead,
    VersionsRead,
    WalkthroughProgress,
)
from bgtui.ui.model import ConsoleModel
from bgtui.ui.screens.chart import ChartScreen
from bgtui.ui.screens.dashboard import DashboardScreen
from bgtui.ui.screens.deploy import DeployScreen
from bgtui.ui.terraform_port import RunnerFactory, terraform_setup
from bgtui.ui.walkthrough import Walkthrough
from bgtui.ui.widgets.bars import OperationBar, StatusBar, TopBar, WalkthroughBar
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.workers import OPERATION, REFRESH

FINISHED = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)


class BgtuiApp(ConsoleActions):
    """The operator console over one backend (real AWS or the embedded emulator)."""

    CSS_PATH = "app.tcss"
    TITLE = "bgtui"
    # Training only: the walkthrough waits for the trainee, and the trainer can step back.
    BINDINGS = [
        Binding("n", "walkthrough_next", "Next step", show=False),
        Binding("b", "walkthrough_back", "Step back", show=False),
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        demo: bool = False,
        clock: Callable[[], datetime] | None = None,
        refresh_seconds: float | None = None,
        terraform: RunnerFactory | None = None,
        scenario: Walkthrough | None = None,
    ) -> None:
        super().__init__()
        self.walkthrough = scenario
        self.backend = backend
        self.demo = demo
        self.terraform = terraform_setup(backend.settings, demo)
        self.runner_factory = terraform
        self.clock = clock or backend.clock
        seconds = backend.settings.refresh_seconds if refresh_seconds is None else refresh_seconds
        self.refresh_seconds = seconds
        self.model = ConsoleModel(selected=scenario.function if scenario else "")
        self.dashboard = DashboardScreen()
        self.paint_latencies: list[float] = []
        """Seconds from a metrics answer to the sparklines painted with it."""
        self.first_data_painted: float | None = None
        """perf_counter() when the dashboard first showed services and metrics."""
        self._refresh_again = False

    def on_mount(self) -> None:
        # Pushed rather than made the default screen, whose CSS_PATH textual does not load.
        self.push_screen(self.dashboard)

    def on_ready(self) -> None:
        """The dashboard is on screen: label it, then start reading."""
        top = self.dashboard.query_one(TopBar)
        top.demo, top.read_only = self.demo, self.read_only
        status = self.dashboard.query_one(StatusBar)
        status.aws_region = self.backend.region
        status.endpoint_host = self.endpoint_host
        if self.walkthrough is not None:
            self.dashboard.query_one(WalkthroughBar).show(self.walkthrough.banner())
        self.load_identity()
        self.refresh_now()
        if self.refresh_seconds > 0:
            self.set_interval(self.refresh_seconds, self.refresh_now)

    @property
    def endpoint_host(self) -> str:
        """Only the host of an endpoint override: never a full URL on screen."""
        context = self.backend.context
        url = (context.endpoint_url if context else None) or self.backend.settings.endpoint_url
        return (urlparse(url).hostname or "") if url else ""

    def refresh_now(self) -> None:
        """Start a refresh unless one is running; then one more follows it."""
        if self.group_running(REFRESH):
            self._refresh_again = True
            return
        self._refresh_again = False
        on_screen = tuple(self.dashboard.query_one(ServiceList).on_screen)
        self.refresh_all(self.model.selected, on_screen, self.model.sweep_next)

    # -- data arriving from workers ---------------------------------------------------------

    def on_services_read(self, message: ServicesRead) -> None:
        self.model.merge(message.snapshot)
        self.model.stale.pop("services", None)
        self._show_stale()
        self.dashboard.query_one(StatusBar).refreshed = f"{message.read_at:%H:%M:%S}Z"
        services = self.dashboard.query_one(ServiceList)
        model = self.model
        services.show(model.states, model.unreadable, model.pending, model.selected)
        self.show_selected()

    def on_health_read(self, message: HealthRead) -> None:
        self.model.health = message.snapshot
        self.model.stale.pop("metrics", None)
        self._show_stale()
        self.show_selected()
        self.call_after_refresh(self._painted, message.received)

    def _painted(self, received: float) -> None:
        now = perf_counter()
        self.paint_latencies.append(now - received)
        if self.first_data_painted is None:
            self.first_data_painted = now

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        first = self.model.mark_stale(message.what, message.reason, message.at)
        self._show_stale()
        if first:
            title = f"Refresh of {message.what} failed: showing the last good data"
            self.notify(message.reason, title=title, severity="warning", timeout=10)

    def _show_stale(self) -> None:
        self.dashboard.query_one(TopBar).stale = self.model.stale_text()

    def on_versions_read(self, message: VersionsRead) -> None:
        self.model.versions[message.function] = message.versions
        if message.function == self.model.selected:
            self.show_selected()
        if isinstance(self.screen, DeployScreen):
            self.screen.show_versions(message.versions)

    def on_walkthrough_progress(self, message: WalkthroughProgress) -> None:
        self.dashboard.query_one(WalkthroughBar).show(message.banner)
        if message.moved:
            self.notify(message.banner, title="Step done", timeout=10)

    def on_identity_read(self, message: IdentityRead) -> None:
        self.dashboard.query_one(StatusBar).account = message.identity.account or "?"

    @on(ServiceList.Selected)
    def _selected(self, message: ServiceList.Selected) -> None:
        self.model.selected = message.function
        self.show_selected()
        if self.model.state() is None and self.model.error() is None:
            # Not read yet (a long list is read a batch at a time): read it now.
            self.refresh_now()

    def show_selected(self) -> None:
        function = self.model.selected
        state, window = self.model.state(), self.model.window()
        self.dashboard.show_selected(function, state, window, self.model.error())
        versions = self.model.versions.get(function)
        self.dashboard.show_versions(function, versions, state)
        if versions is None and state is not None:
            self.load_versions(function)
        if isinstance(self.screen, ChartScreen) and state is not None:
            self.screen.show(state, window)

    # -- the one place worker failures become visible -----------------------------------------

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.report_error(worker.error)
        if event.state not in FINISHED:
            return
        if worker.group == OPERATION:
            self.busy = ""
            if event.state is WorkerState.ERROR:
                # A failed or unknown outcome: show what is true now, not what was hoped.
                self.refresh_now()
        if worker.group == REFRESH and self._refresh_again:
            self.refresh_now()

    def report_error(self, error: BaseException) -> None:
        """A titled notification; the traceback goes to the log, never to the screen."""
        if isinstance(error, BgtuiError):
            self.notify(error.message, title=error.title, severity="error", timeout=12)
            return
        self.log.error("".join(traceback.format_exception(error)))
        self.notify(f"{type(error).__name__}: {error}", title="Unexpected error", severity="error")

    def watch_busy(self, busy: str) -> None:
        self.dashboard.query_one(OperationBar).running = busy

    # -- actions that need the dashboard ---------------------------------------------------

    def action_walkthrough_next(self) -> None:
        if self.walkthrough is not None and self.walkthrough.go_on():
            self._show_walkthrough()

    def action_walkthrough_back(self) -> None:
        if self.walkthrough is not None and self.walkthrough.go_back():
            self._show_walkthrough()

    def _show_walkthrough(self) -> None:
        if self.walkthrough is not None:
            self.dashboard.query_one(WalkthroughBar).show(self.walkthrough.banner())
            self.refresh_now()

    def action_filter_services(self) -> None:
        self.dashboard.action_filter()

    def action_quit(self) -> None:  # type: ignore[override]
        if self.group_running(OPERATION):
            self.notify("an operation is running: wait for its outcome", title="Not now")
            return
        self.exit()


def make_app(
    backend: Backend,
    *,
    demo: bool = False,
    clock: Callable[[], datetime] | None = None,
    refresh_seconds: float | None = None,
    terraform: RunnerFactory | None = None,
    scenario: Walkthrough | None = None,
) -> BgtuiApp:
    """The console over `backend`; tests, the demo and the screenshots pass their own.

    `terraform` builds the Terraform runner (default: `TerraformRunner` on `[terraform] dir`,
    or in demo mode on the emulator example); `scenario` is a training walkthrough whose
    current step the dashboard shows.
    """
    return BgtuiApp(
        backend,
        demo=demo,
        clock=clock,
        refresh_seconds=refresh_seconds,
        terraform=terraform,
        scenario=scenario,
    )
