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

from bgtui.app.wiring import Backend
from bgtui.core.errors import BgtuiError, CredentialsExpired
from bgtui.core.metrics_schedule import MetricsDue, MetricsSchedule
from bgtui.ui.actions import ConsoleActions
from bgtui.ui.messages import (
    CredentialsReloaded,
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
from bgtui.ui.watch_console import ConsoleWatch
from bgtui.ui.widgets.bars import CredentialsBar, OperationBar, StatusBar, TopBar, WalkthroughBar
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.workers import KEYRING, OPERATION, REFRESH

FINISHED = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)


class BgtuiApp(ConsoleActions):
    """The operator console over one backend (real AWS or the embedded emulator)."""

    CSS_PATH = "app.tcss"
    TITLE = "bgtui"
    # n and b serve training only: the walkthrough waits for the trainee, who can step back.
    BINDINGS = [
        Binding("ctrl+r", "reload", "Reload", show=False),
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
        self.schedule = MetricsSchedule()
        """When each service's metrics were asked for: they are read once a minute, not per tick."""
        self.release_watch = ConsoleWatch(backend.settings.watch)
        """The watch windows after promotes: judged on every metrics read, rolled back on breach."""
        self._refreshing = False
        self._refresh_again = False
        self._metrics_wanted = False

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
            self.set_interval(self.refresh_seconds, self.tick)

    @property
    def endpoint_host(self) -> str:
        """Only the host of an endpoint override: never a full URL on screen."""
        context = self.backend.context
        url = (context.endpoint_url if context else None) or self.backend.settings.endpoint_url
        return (urlparse(url).hostname or "") if url else ""

    def tick(self) -> None:
        """The refresh interval's callback."""
        # Expired credentials fail every read alike: wait for the operator's reload.
        if self.model.expired_since is None:
            self.refresh_now()

    def refresh_now(self, metrics_now: bool = False) -> None:
        """Start a refresh unless one is running; then one more follows it.

        State is read every time; metrics when due (see MetricsSchedule), or for the selected
        service right now with `metrics_now` (a key, after a change).
        """
        self._metrics_wanted = self._metrics_wanted or metrics_now
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing, self._refresh_again = True, False
        on_screen = tuple(self.dashboard.query_one(ServiceList).on_screen)
        now, selected = self.clock(), self.model.selected
        watched = self.release_watch.open_services(self.model, now)
        due = self.schedule.due(now, selected, on_screen, self._metrics_wanted, watched)
        self._metrics_wanted = False
        self.schedule.asked(due, now)
        known = self.model.known
        read_before = frozenset(known) | frozenset(self.model.unreadable)
        # Rows not re-read this time still get their metrics, from the state last read.
        held = tuple(known[fn] for fn in dict.fromkeys((selected, *on_screen)) if fn in known)
        self.refresh_all(selected, on_screen, read_before, self.model.sweep_next, due, held)

    # -- data arriving from workers ---------------------------------------------------------

    def on_services_read(self, message: ServicesRead) -> None:
        self.model.merge(message.snapshot)
        self.model.stale.pop("services", None)
        if self.model.expired_since is not None:
            self.model.expired_since = None
            self.dashboard.query_one(CredentialsBar).show("")
            self.notify("AWS answers again: reading everything anew", title="Credentials renewed")
        self._show_stale()
        self.dashboard.query_one(StatusBar).refreshed = f"{message.read_at:%H:%M:%S}Z"
        services = self.dashboard.query_one(ServiceList)
        model = self.model
        services.show(model.states, model.unreadable, model.pending, model.selected)
        self.show_selected()

    def on_health_read(self, message: HealthRead) -> None:
        snapshot = message.snapshot
        self.model.take_health(snapshot)
        self.release_watch.act(self, self.model, self.clock())
        # What arrived is what is held now (a first read fetches every series unasked).
        glance = tuple(fn for fn in snapshot.windows if fn not in snapshot.full)
        self.schedule.asked(MetricsDue(tuple(snapshot.full), glance), snapshot.fetched_at)
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
        if message.expired:
            self.credentials_expired(message.at)
        elif first:
            title = f"Refresh of {message.what} failed: showing the last good data"
            self.notify(message.reason, title=title, severity="warning", timeout=10)

    def _show_stale(self) -> None:
        self.dashboard.query_one(TopBar).stale = self.model.stale_text()

    def credentials_expired(self, at: datetime) -> None:
        """Keep what is on screen, say how to renew, and stop reading until the reload key."""
        if self.model.expired_since is not None:
            return
        self.model.expired_since = at
        profile = self.backend.settings.profile
        login = f"aws sso login --profile {profile}" if profile else "aws sso login"
        self.dashboard.query_one(CredentialsBar).show(
            f"AWS credentials expired at {at:%H:%M}Z; the data shown is the last read. "
            f"Renew them (`{login}`, or your usual way) in another terminal, "
            "then press ctrl+r to reload."
        )

    def action_reload(self) -> None:
        """Pick up renewed credentials and read everything again, without a restart."""
        self.notify("loading credentials and reading everything again…", title="Reload")
        self.reload_credentials()

    def on_credentials_reloaded(self, message: CredentialsReloaded) -> None:
        self.schedule.forget()
        self.load_identity()
        self.refresh_now(metrics_now=True)

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
        self.select(message.function)

    def select(self, function: str) -> None:
        self.model.selected = function
        self.show_selected()
        if self.model.state() is None and self.model.error() is None:
            # Not read yet (a long list is read a batch at a time): read it now.
            self.refresh_now()
        elif self.schedule.wants_full(function, self.clock()):
            # Only a glance at its metrics so far: the selected service shows them all.
            self.refresh_now()

    def show_selected(self) -> None:
        function = self.model.selected
        state, window = self.model.state(), self.model.window()
        self.dashboard.show_selected(function, state, window, self.model.error())
        self.dashboard.show_watch(*self.release_watch.panel(self.model, state, self.clock()))
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
        if worker.group == OPERATION and event.state in FINISHED:
            self.end_wait()  # before the error, so its toast is not hidden behind the wait
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.report_error(worker.error)
        if event.state not in FINISHED:
            return
        if worker.group == OPERATION:
            self.busy = ""
            if event.state is WorkerState.ERROR:
                # A failed or unknown outcome: show what is true now, not what was hoped.
                self.refresh_now()
        if worker.group == REFRESH:
            # Finished only now: its messages, posted before this one, have been handled.
            self._refreshing = False
            if self._refresh_again:
                self.refresh_now()
        if worker.group == KEYRING and event.state is WorkerState.ERROR:
            self.busy, self._after_unlock = "", None

    def report_error(self, error: BaseException) -> None:
        """A titled notification; the traceback goes to the log, never to the screen."""
        if isinstance(error, CredentialsExpired):
            self.credentials_expired(self.clock())
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
            self.notify(
                "an operation is running: wait for its outcome", title="Not now", severity="warning"
            )
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
