"""The console application: the screens, the global keys, the refresh cadence and the model."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from time import perf_counter
from urllib.parse import urlparse

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from bgtui.app.backend import Backend
from bgtui.app.context_switch import ContextSwitcher
from bgtui.app.first_read import FirstRead
from bgtui.app.first_read_process import ForkedFirstRead
from bgtui.app.regional import RegionalServices
from bgtui.app.service import ReleaseService
from bgtui.core.errors import BgtuiError, CredentialsExpired
from bgtui.core.metrics_schedule import MetricsDue, MetricsSchedule
from bgtui.core.models import ServiceState
from bgtui.core.plain_text import printable
from bgtui.core.watch import WatchReport
from bgtui.core.watch_loop import passed_text
from bgtui.ui.commands import PALETTE
from bgtui.ui.messages import (
    CredentialsReloaded,
    HealthRead,
    IdentityRead,
    RefreshFailed,
    ServicesRead,
    VersionsRead,
    WalkthroughProgress,
    WorkerFailed,
)
from bgtui.ui.model import ConsoleModel
from bgtui.ui.screens.chart import ChartScreen
from bgtui.ui.screens.dashboard import DashboardScreen
from bgtui.ui.screens.deploy import DeployScreen
from bgtui.ui.terraform_port import RunnerFactory, terraform_setup
from bgtui.ui.terraform_session import TerraformSession
from bgtui.ui.walkthrough import Walkthrough
from bgtui.ui.watch_console import WATCH_GROUP, ConsoleWatch, roll_back
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.workers import FINISHED, OPERATION, REFRESH, ConsoleReads, group_running

TOAST_SECONDS = 6.0
"""Toasts are for what needs attention, and brief: the outcome line keeps every message."""
ANSWERS_OF_ONE_CONTEXT = ("versions", "identity")
"""Worker groups whose answers belong to the backend that asked: dropped at a switch."""


class BgtuiApp(App[None]):
    """The operator console over one backend (real AWS or the embedded emulator).

    `terraform` builds the Terraform runner (default: `TerraformRunner` on `[terraform] dir`,
    or in demo mode on the emulator example); `scenario` is a training walkthrough whose
    current step the dashboard shows; `switcher` offers the configuration's contexts;
    `regions` are the backends of the context's further regions (None builds them);
    `first_read` is the first refresh's services read, started before the app.
    """

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
        switcher: ContextSwitcher | None = None,
        regions: Sequence[Backend] | None = None,
        first_read: FirstRead | ForkedFirstRead | None = None,
    ) -> None:
        super().__init__()
        self.switcher = switcher
        self.walkthrough = scenario
        self.backend = backend
        self.service = ReleaseService(backend)
        self.regions = RegionalServices(self.service, regions)
        self.demo = demo
        self._runner_factory = terraform
        self.terraform = self._terraform_session()
        self.clock = clock or backend.clock
        seconds = backend.settings.refresh_seconds if refresh_seconds is None else refresh_seconds
        self.refresh_seconds = seconds
        self.model = ConsoleModel(
            selected=scenario.function if scenario else "", regional=self.regions.regional
        )
        self.reads = ConsoleReads(
            self.service, self.clock, self.post_message, scenario, self.regions
        )
        self.reads.first = first_read
        self.dashboard = DashboardScreen(self)
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
        self._next_backend: Backend | None = None
        self._after_first_data: list[Callable[[], object]] | None = []
        """Reads waiting for the first data on screen; None once it is."""

    def _terraform_session(self) -> TerraformSession:
        setup = terraform_setup(self.backend.settings, self.demo)
        read_only = self.service.policy.read_only
        return TerraformSession(setup, self.service.identity, self._runner_factory, read_only)

    def on_mount(self) -> None:
        # Pushed rather than made the default screen, whose CSS_PATH textual does not load.
        self.push_screen(self.dashboard)

    def on_ready(self) -> None:
        """The dashboard is on screen: label it, then start reading."""
        self.dashboard.show_where(self.demo, self.backend.region, self.endpoint_host)
        self.dashboard.show_whereabouts(self.regions.whereabouts())
        if self.walkthrough is not None:
            self.dashboard.show_walkthrough(self.walkthrough.banner())
        self.once_data_shown(self.load_identity)
        self.refresh_now()
        if self.refresh_seconds > 0:
            self.set_interval(self.refresh_seconds, self.tick)

    @property
    def endpoint_host(self) -> str:
        """Only the host of an endpoint override: never a full URL on screen."""
        context = self.backend.context
        url = (context.endpoint_url if context else None) or self.backend.settings.endpoint_url
        return (urlparse(url).hostname or "") if url else ""

    # -- the refresh cadence ----------------------------------------------------------------

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

    @work(thread=True, exclusive=True, exit_on_error=False, group=REFRESH)
    def refresh_all(
        self,
        selected: str,
        on_screen: tuple[str, ...],
        read_before: frozenset[str],
        sweep_from: int,
        due: MetricsDue,
        held: tuple[ServiceState, ...] = (),
    ) -> None:
        self.reads.refresh_all(selected, on_screen, read_before, sweep_from, due, held)

    @work(thread=True, exclusive=True, exit_on_error=False, group="versions")
    def load_versions(self, function: str) -> None:
        self.reads.versions(function)

    @work(thread=True, exit_on_error=False, group="identity")
    def load_identity(self) -> None:
        self.reads.identity()

    @work(thread=True, exit_on_error=False, group="adoptions")
    def load_unfinished_adoptions(self) -> None:
        """Adopts recorded here that stopped part-way: their functions are no services yet, so
        the list cannot show them; said once, after the first data."""
        from bgtui.app.adoption import unfinished_adoptions

        for line in unfinished_adoptions(self.backend.audit):
            self.notify(
                printable(line),
                title="Adopt unfinished",
                severity="warning",
                timeout=60,
                markup=False,
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="credentials")
    def reload_credentials(self) -> None:
        self.reads.reload_credentials()

    @work(thread=True, exit_on_error=False, group=WATCH_GROUP)
    def roll_back_breach(self, state: ServiceState, report: WatchReport) -> None:
        """A watch breached: roll back as the operator would, say so, and show what is true now."""
        title, text, severity = roll_back(self.regions.service_for(state.ref), state, report)
        # The text may carry AWS's own error words: shown as written, never as markup.
        self.notify(text, title=title, severity=severity, timeout=30, markup=False)
        self.call_from_thread(self.refresh_now, True)

    @work(thread=True, exit_on_error=False, group=WATCH_GROUP)
    def record_watch_passed(self, state: ServiceState, report: WatchReport) -> None:
        """A window watched from here ended healthy: record it (which announces it)."""
        try:
            claim = self.regions.service_for(state.ref).record_watch_passed(state, report)
        except BgtuiError as error:
            self.notify(
                printable(f"the passed watch was not recorded: {error}"),
                severity="warning",
                markup=False,
            )
            return
        self.notify(
            printable(f"{state.ref.function}: {passed_text(report, claim)}"),
            title="Watch passed",
            timeout=15,
            markup=False,
        )

    # -- data arriving from workers ---------------------------------------------------------

    def on_services_read(self, message: ServicesRead) -> None:
        self.model.merge(message.snapshot)
        self.model.stale.pop("services", None)
        if self.model.expired_since is not None:
            self.model.expired_since = None
            self.dashboard.show_credentials("")
            self.notify("AWS answers again: reading everything anew", title="Credentials renewed")
        self.dashboard.show_stale()
        self.dashboard.show_refreshed(f"{message.read_at:%H:%M:%S}Z")
        self.dashboard.show_services()
        self.show_selected()

    def on_health_read(self, message: HealthRead) -> None:
        snapshot = message.snapshot
        self.model.take_health(snapshot)
        for state, report in self.release_watch.breaches(self.model, self.clock()):
            self.roll_back_breach(state, report)
        for state, report in self.release_watch.passes(self.model, self.clock()):
            self.record_watch_passed(state, report)
        # What arrived is what is held now (a first read fetches every series unasked).
        glance = tuple(fn for fn in snapshot.windows if fn not in snapshot.full)
        self.schedule.asked(MetricsDue(tuple(snapshot.full), glance), snapshot.fetched_at)
        self.model.stale.pop("metrics", None)
        self.dashboard.show_stale()
        self.show_selected()
        self.call_after_refresh(self._painted, message.received)

    def _painted(self, received: float) -> None:
        now = perf_counter()
        self.paint_latencies.append(now - received)
        if self.first_data_painted is None:
            self.first_data_painted = now
            self._data_shown()
            self.load_unfinished_adoptions()

    def once_data_shown(self, read: Callable[[], object]) -> None:
        """Run `read` once the first data is on screen (at once after that): a read the first
        frame does not show would load the SDK and build a client on the core that frame needs."""
        if self.first_data_painted is None and self._after_first_data is not None:
            self._after_first_data.append(read)
        else:
            read()

    def _data_shown(self) -> None:
        waiting, self._after_first_data = self._after_first_data or [], None
        for read in waiting:
            read()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self._data_shown()  # no first data yet: what waited for it is read now
        first = self.model.mark_stale(message.what, message.reason, message.at)
        self.dashboard.show_stale()
        if message.expired:
            self.credentials_expired(message.at)
        elif first:
            title = f"Refresh of {message.what} failed: showing the last good data"
            self.notify(message.reason, title=title, severity="warning", timeout=10)

    def credentials_expired(self, at: datetime) -> None:
        """Keep what is on screen, say how to renew, and stop reading until the reload key."""
        if self.model.expired_since is not None:
            return
        self.model.expired_since = at
        profile = self.backend.settings.profile
        login = f"aws sso login --profile {profile}" if profile else "aws sso login"
        self.dashboard.show_credentials(
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
        screen = self.top_screen
        if isinstance(screen, DeployScreen):
            screen.show_versions(message.versions)

    def on_walkthrough_progress(self, message: WalkthroughProgress) -> None:
        self.dashboard.show_walkthrough(message.banner)
        if message.moved:
            self.notify(message.banner, title="Step done", timeout=10)

    def on_identity_read(self, message: IdentityRead) -> None:
        self.dashboard.show_account(message.identity.account or "?", message.account_alias)

    @on(ServiceList.Selected)
    def _selected(self, message: ServiceList.Selected) -> None:
        # A burst of keys can leave this message behind the cursor: an action key handled
        # since may already have selected the row under it. That row wins, never the message.
        self.select(self.dashboard.highlighted or message.function)

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
            self.once_data_shown(partial(self.load_versions, function))
        screen = self.top_screen
        if isinstance(screen, ChartScreen) and state is not None:
            screen.show(state, window)

    @property
    def top_screen(self) -> Screen[object] | None:
        """The screen on top, or None once the app has begun to close: an answer that arrives
        then has nowhere to show."""
        return self.screen_stack[-1] if self.screen_stack else None

    # -- another context, without a restart ----------------------------------------------------

    def use_backend(self, backend: Backend) -> None:
        """Work in another context from now on: the model is cleared and everything read anew."""
        for group in ANSWERS_OF_ONE_CONTEXT:
            self.workers.cancel_group(self, group)
        self._next_backend = backend
        self._take_next_backend()

    def _take_next_backend(self) -> None:
        # Only while no refresh runs: a read of the old context never lands in the new one.
        if self._next_backend is None or self._refreshing:
            return
        backend, self._next_backend = self._next_backend, None
        self.backend = backend
        self.service = ReleaseService(backend)
        self.regions = RegionalServices(self.service)
        self.reads = ConsoleReads(
            self.service, self.clock, self.post_message, self.walkthrough, self.regions
        )
        self.terraform = self._terraform_session()
        self.model = ConsoleModel(regional=self.regions.regional)
        self.schedule.forget()
        self.dashboard.show_new_context(self.demo, backend.region, self.endpoint_host)
        self.dashboard.show_whereabouts(self.regions.whereabouts())
        self.notify(
            f"now in context {backend.settings.context}: reading everything anew",
            title="Context switched",
        )
        self.load_identity()
        self.refresh_now(metrics_now=True)

    # -- the one place worker failures become visible -----------------------------------------

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.report_error(worker.error)
        if worker.group == REFRESH and event.state in FINISHED:
            # Finished only now: its messages, posted before this one, have been handled.
            self._refreshing = False
            self._take_next_backend()
            if self._refresh_again:
                self.refresh_now()

    def on_worker_failed(self, message: WorkerFailed) -> None:
        self.report_error(message.error)

    def report_error(self, error: BaseException) -> None:
        """A titled notification; the traceback goes to the log, never to the screen."""
        if isinstance(error, CredentialsExpired):
            self.credentials_expired(self.clock())
        if isinstance(error, BgtuiError):
            self.notify(error.message, title=error.title, severity="error", timeout=12)
            return
        self.log.error("".join(traceback.format_exception(error)))
        self.notify(f"{type(error).__name__}: {error}", title="Unexpected error", severity="error")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every message goes to the outcome line; a toast only for a warning or an error.

        Toasts are brief, shown literally (messages quote text from outside), and hidden on
        dialogs (see app.tcss) so they never cover a dialog's buttons.
        """
        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self.notify, message, title=title, severity=severity)
            return
        text = f"{title}: {message}" if title else message
        self.dashboard.log_outcome(f"{self.clock():%H:%M:%S}Z", text, severity)
        if severity == "information":
            return
        seconds = min(timeout or TOAST_SECONDS, TOAST_SECONDS)
        super().notify(
            printable(message, lines=True),
            title=printable(title),
            severity=severity,
            timeout=seconds,
            markup=False,
        )

    # -- the global keys ---------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.refresh_now(metrics_now=True)

    def action_walkthrough_next(self) -> None:
        if self.walkthrough is not None and self.walkthrough.go_on():
            self._show_walkthrough()

    def action_walkthrough_back(self) -> None:
        if self.walkthrough is not None and self.walkthrough.go_back():
            self._show_walkthrough()

    def _show_walkthrough(self) -> None:
        if self.walkthrough is not None:
            self.dashboard.show_walkthrough(self.walkthrough.banner())
            self.refresh_now()

    def action_filter_services(self) -> None:
        self.dashboard.action_filter()

    def action_command_palette(self) -> None:
        # The wait holds every key, ctrl+p too: the dialog it waits for opens on top of it.
        if self.dashboard.waiting is None:
            super().action_command_palette()

    def action_quit(self) -> None:  # type: ignore[override]
        if group_running(self.workers, OPERATION):
            self.notify(
                "an operation is running: wait for its outcome", title="Not now", severity="warning"
            )
            return
        self.exit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Only bgtui's own: textual's (keys panel, maximize, theme…) are not this console's.
        for title, help_text, action in PALETTE:
            owner = self.dashboard if hasattr(self.dashboard, f"action_{action}") else self
            yield SystemCommand(title, help_text, getattr(owner, f"action_{action}"))
