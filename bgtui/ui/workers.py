"""The console's reading: blocking calls run in the app's thread workers, answered by messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from time import perf_counter

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState, get_current_worker
from textual.worker_manager import WorkerManager

from bgtui.app.first_read import FirstRead
from bgtui.app.first_read_process import ForkedFirstRead
from bgtui.app.refresh import ServicesSnapshot, on_screen_first
from bgtui.app.regional import RegionalServices
from bgtui.app.service import ReleaseService
from bgtui.core.errors import BgtuiError
from bgtui.core.metrics_schedule import MetricsDue
from bgtui.core.models import ServiceState
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
from bgtui.ui.model import METRICS_IN, SERVICES_IN
from bgtui.ui.walkthrough import Walkthrough

REFRESH = "refresh"
OPERATION = "operation"
KEYRING = "keyring"
ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)
FINISHED = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)


def group_running(workers: WorkerManager, group: str) -> bool:
    return any(w.group == group and w.state in ACTIVE for w in workers)


@dataclass
class ConsoleReads:
    """What the refresh cadence reads; each call blocks, so the app runs it in a thread worker
    and `post` carries the answer back to the UI thread."""

    service: ReleaseService
    clock: Callable[[], datetime]
    post: Callable[[Message], object]
    walkthrough: Walkthrough | None = None
    regions: RegionalServices | None = None
    """Every region the context reads; None reads only `service`'s."""

    first: FirstRead | ForkedFirstRead | None = None
    """The first refresh's services (and metrics), read before the console was on screen."""

    @property
    def rows(self) -> RegionalServices:
        return self.regions or RegionalServices(self.service, ())

    def refresh_all(
        self,
        selected: str,
        on_screen: tuple[str, ...],
        read_before: frozenset[str],
        sweep_from: int,
        due: MetricsDue,
        held: tuple[ServiceState, ...] = (),
    ) -> None:
        """Services first (the list and the pointers), then the metrics that are `due`, for
        the services read now and those `held` from earlier reads."""
        try:
            # The read made ahead of the console covers one region: a context of several
            # reads them all here.
            services = (
                None
                if self.rows.regional
                else self._first(selected, on_screen, read_before, sweep_from)
            )
            if services is None:
                services = self.rows.read_services(selected, on_screen, read_before, sweep_from)
        except BgtuiError as error:
            self.post(RefreshFailed.of("services", error, self.clock()))
            return
        self.post(ServicesRead(services, self.clock()))
        for region, failure in services.regions_failed.items():
            self.post(RefreshFailed.of(f"{SERVICES_IN}{region}", failure, self.clock()))
        self._advance_walkthrough()
        if due:
            fresh = {self.rows.key(state.ref): state for state in (*held, *services.states)}
            self._read_health(list(fresh.values()), selected, on_screen, due)

    def _first(
        self, selected: str, on_screen: tuple[str, ...], read_before: frozenset[str], sweep: int
    ) -> ServicesSnapshot | None:
        first = self.first
        if first is None:
            return None
        return first.take(self.service, selected, on_screen, read_before, sweep)

    def _read_health(
        self,
        states: Sequence[ServiceState],
        selected: str,
        on_screen: tuple[str, ...],
        due: MetricsDue,
    ) -> None:
        shown = on_screen_first(states, selected, on_screen, self.rows.key)
        wanted, full = due.pick([self.rows.key(s.ref) for s in shown])
        chosen = [s for s in shown if self.rows.key(s.ref) in set(wanted)]
        keys = [self.rows.key(s.ref) for s in chosen]
        first = self.first.take_health(keys, full) if self.first else None
        try:
            health = first or self.rows.read_health(chosen, full, self.clock)
        except BgtuiError as error:
            self.post(RefreshFailed.of("metrics", error, self.clock()))
            return
        if get_current_worker().is_cancelled:
            return
        for region, failure in health.regions_failed.items():
            self.post(RefreshFailed.of(f"{METRICS_IN}{region}", failure, self.clock()))
        if health.regions_read or not health.regions_failed:
            self.post(HealthRead(health, perf_counter()))

    def _advance_walkthrough(self) -> None:
        walkthrough = self.walkthrough
        if walkthrough is None:
            return
        try:
            moved = walkthrough.advance(self.service.operations)
        except BgtuiError as error:
            self.post(RefreshFailed.of("walkthrough", error, self.clock()))
            return
        self.post(WalkthroughProgress(walkthrough.banner(), moved, walkthrough.finished))

    def versions(self, function: str) -> None:
        versions = self.rows.versions(function)
        if not get_current_worker().is_cancelled:  # cancelled: asked in another context
            self.post(VersionsRead(function, versions))

    def identity(self) -> None:
        identity, alias = self.service.identity(), self.service.account_alias()
        if not get_current_worker().is_cancelled:  # cancelled: asked in another context
            self.post(IdentityRead(identity, alias))

    def reload_credentials(self) -> None:
        self.rows.refresh_credentials()
        self.post(CredentialsReloaded())


def forward_failure(event: Worker.StateChanged, app: MessagePump) -> None:
    """A screen's worker failed: the app shows it (worker state changes do not bubble)."""
    error = event.worker.error
    if event.state is WorkerState.ERROR and error is not None:
        app.post_message(WorkerFailed(error))
