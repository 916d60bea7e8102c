"""Every blocking call of the console, each in a thread worker that posts a message back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from time import perf_counter

from textual import work
from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import WorkerState, get_current_worker

from bgtui.app.wiring import Backend
from bgtui.core.change import Action, Change, DeploySource
from bgtui.core.errors import BgtuiError, Conflict
from bgtui.core.metrics_schedule import MetricsDue
from bgtui.core.models import Colour, ServiceRef, ServiceState
from bgtui.core.watch_loop import service_thresholds
from bgtui.ui.deploy_source import DeployRequest, load_source
from bgtui.ui.messages import (
    AuditRead,
    ChangeConflicted,
    ChangeDone,
    ChangePrepared,
    CredentialsReloaded,
    HealthRead,
    IdentityRead,
    KeyringState,
    RefreshFailed,
    ServicesRead,
    SmokeDone,
    VersionsRead,
    WalkthroughProgress,
)
from bgtui.ui.refresh import on_screen_first, read_health, read_services
from bgtui.ui.walkthrough import Walkthrough

REFRESH = "refresh"
OPERATION = "operation"
KEYRING = "keyring"


class ConsoleWorkers(App[None]):
    """The app's workers: they run on threads; the UI thread only receives their messages."""

    backend: Backend
    clock: Callable[[], datetime]
    walkthrough: Walkthrough | None = None

    def group_running(self, group: str) -> bool:
        active = (WorkerState.PENDING, WorkerState.RUNNING)
        return any(w.group == group and w.state in active for w in self.workers)

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
        """Services first (the list and the pointers), then the metrics that are `due`, for
        the services read now and those `held` from earlier reads."""
        try:
            catalog = self.backend.catalog
            services = read_services(catalog, selected, on_screen, read_before, sweep_from)
        except BgtuiError as error:
            self.post_message(RefreshFailed.of("services", error, self.clock()))
            return
        self.post_message(ServicesRead(services, self.clock()))
        self._advance_walkthrough()
        if due:
            fresh = {state.ref.function: state for state in (*held, *services.states)}
            self._read_health(list(fresh.values()), selected, on_screen, due)

    def _read_health(
        self,
        states: Sequence[ServiceState],
        selected: str,
        on_screen: tuple[str, ...],
        due: MetricsDue,
    ) -> None:
        shown = on_screen_first(states, selected, on_screen)
        wanted, full = due.pick([s.ref.function for s in shown])
        chosen = [s for s in shown if s.ref.function in set(wanted)]
        try:
            health = read_health(
                self.backend.metrics,
                chosen,
                full,
                self.clock,
                self.backend.settings.window_minutes,
            )
        except BgtuiError as error:
            self.post_message(RefreshFailed.of("metrics", error, self.clock()))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(HealthRead(health, perf_counter()))

    def _advance_walkthrough(self) -> None:
        walkthrough = self.walkthrough
        if walkthrough is None:
            return
        try:
            moved = walkthrough.advance(self.backend.operations)
        except BgtuiError as error:
            self.post_message(RefreshFailed.of("walkthrough", error, self.clock()))
            return
        self.post_message(WalkthroughProgress(walkthrough.banner(), moved, walkthrough.finished))

    @work(thread=True, exclusive=True, exit_on_error=False, group="versions")
    def load_versions(self, function: str) -> None:
        versions = self.backend.catalog.functions.list_versions(function)
        self.post_message(VersionsRead(function, tuple(versions)))

    @work(thread=True, exit_on_error=False, group="identity")
    def load_identity(self) -> None:
        self.post_message(IdentityRead(self.backend.operations.actor()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="credentials")
    def reload_credentials(self) -> None:
        self.backend.refresh_credentials()
        self.post_message(CredentialsReloaded())

    @work(thread=True, exclusive=True, exit_on_error=False, group=KEYRING)
    def check_audit_key(self) -> None:
        """Whether records can be signed now, or which keyring must be unlocked first."""
        audit_key = self.backend.audit_key
        self.post_message(KeyringState(audit_key.locked_location() if audit_key else ""))

    @work(thread=True, exclusive=True, exit_on_error=False, group=KEYRING)
    def unlock_audit_key(self, passphrase: str) -> None:
        """Open the keyring (an Argon2 derivation: about a second) and say whether it opened."""
        audit_key = self.backend.audit_key
        if audit_key is None:
            self.post_message(KeyringState(""))
            return
        try:
            audit_key.unlock(passphrase)
        except BgtuiError as error:  # a wrong passphrase, or a damaged file: say so, ask again
            self.post_message(KeyringState(audit_key.locked_location(), str(error)))
            return
        self.post_message(KeyringState(audit_key.locked_location()))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def prepare_change(self, action: Action, ref: ServiceRef, seen: Colour | None = None) -> None:
        """Read the service and judge the gates; the reason is judged again as it is typed.

        `seen` is the colour the operator saw in the role that moves (idle for a promote,
        live for a rollback): if it changed since, the change is refused as a conflict.
        """
        operations = self.backend.operations
        if action is Action.PROMOTE:
            change = operations.prepare_promote(ref, to=seen)
            # The console watches what it promotes: the window is recorded with the swap.
            minutes = service_thresholds(self.backend.settings.watch, ref).minutes
            change = replace(change, watch_minutes=minutes)
        else:
            change = operations.prepare_rollback(ref, from_colour=seen)
        self.post_message(ChangePrepared(change))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def prepare_deploy(
        self, ref: ServiceRef, request: DeployRequest, seen: Colour | None = None
    ) -> None:
        source: DeploySource = load_source(request)
        change = self.backend.operations.prepare_deploy(ref, source, request.reason)
        if seen is not None and change.target_colour is not seen:
            raise Conflict(f"deploy {ref.function}: {seen.value} is not idle any more; re-read")
        self.post_message(ChangePrepared(change))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def execute_change(self, change: Change, typed: str) -> None:
        try:
            result = self.backend.operations.execute(change, typed)
        except Conflict as error:
            self.post_message(ChangeConflicted(change, str(error), self._reread(change.state.ref)))
            return
        self.post_message(ChangeDone(result))

    def _reread(self, ref: ServiceRef) -> ServiceState | None:
        try:
            return self.backend.catalog.read(ref)
        except BgtuiError:
            return None

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def run_smoke(self, ref: ServiceRef, seen: Colour | None = None) -> None:
        self.post_message(SmokeDone(self.backend.operations.run_smoke(ref, seen)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit")
    def load_audit(self, target: MessagePump) -> None:
        trail = self.backend.audit
        report = trail.verify()
        records = list(reversed(trail.records()))
        target.post_message(AuditRead(records, report.summary(), report.ok))
