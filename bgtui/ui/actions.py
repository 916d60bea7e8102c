"""What each key and palette command does: open the right modal, start the right worker."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import partial

from textual.app import SystemCommand
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from bgtui.core.change import Action
from bgtui.core.models import ServiceState
from bgtui.core.plain_text import printable
from bgtui.ui.commands import PALETTE
from bgtui.ui.deploy_source import DeployRequest
from bgtui.ui.messages import (
    ChangeConflicted,
    ChangeDone,
    ChangePrepared,
    KeyringState,
    SmokeDone,
)
from bgtui.ui.model import ConsoleModel
from bgtui.ui.screens.audit import AuditScreen
from bgtui.ui.screens.change import VERBS, ChangeScreen, Confirmed
from bgtui.ui.screens.chart import ChartScreen
from bgtui.ui.screens.conflict import ConflictScreen
from bgtui.ui.screens.dashboard import DashboardScreen
from bgtui.ui.screens.deploy import DeployScreen
from bgtui.ui.screens.help import HelpScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.screens.terraform import TerraformScreen
from bgtui.ui.screens.unlock_keyring import UnlockKeyring
from bgtui.ui.screens.working import WorkingScreen
from bgtui.ui.terraform_workers import TerraformWorkers
from bgtui.ui.widgets.bars import OutcomeBar
from bgtui.ui.widgets.context_bar import ContextBar
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.workers import OPERATION

PROGRESS = {
    Action.PROMOTE: "promoting {fn}: one write of the live alias, then verify…",
    Action.ROLLBACK: "rolling back {fn}: one write of the live alias, then verify…",
    Action.DEPLOY: "deploying to the idle colour of {fn}…",
}
TOAST_SECONDS = 6.0
"""Toasts are for what needs attention, and brief: the outcome line keeps every message."""
NOTHING_CHANGED = "stop waiting; nothing has been changed"
CARRIES_ON = "stop waiting; it carries on and its outcome goes to the log line"


class ConsoleActions(TerraformWorkers):
    """Mutations refuse visibly in read-only mode; one operation runs at a time.

    Every action acts on the service highlighted when its key is handled, and an action that
    ends in a dialog holds the keyboard (a working screen) from the key until that dialog.
    """

    model: ConsoleModel
    dashboard: DashboardScreen
    busy: reactive[str] = reactive("", init=False)
    """What the running operation is doing; empty when none runs."""
    waiting: WorkingScreen | None = None
    """The working screen on show, until the dialog or outcome it waits for arrives."""
    _audit_key_open = False
    """Records can be signed (or need no key): the keyring is not asked again."""
    _after_unlock: Callable[[], None] | None = None

    @property
    def read_only(self) -> bool:
        return self.backend.operations.policy.read_only

    def refresh_now(self, metrics_now: bool = False) -> None:
        """Read services (and metrics when due, or now) again (the app schedules it)."""

    def select(self, function: str) -> None:
        """Show `function` as the selected service (the app draws it)."""

    # -- what the operator sees and is told -------------------------------------------------

    def follow_cursor(self) -> None:
        """Select the service highlighted now; a burst of keys can be ahead of its messages."""
        found = self.dashboard.query(ServiceList)
        if not found:
            return
        services = found.first()
        function = services.highlighted
        if function and function != self.model.selected:
            services.selected_now(function)
            self.select(function)

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
        self.log_outcome(f"{title}: {message}" if title else message, severity)
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

    def log_outcome(self, text: str, severity: str = "information") -> None:
        found = self.dashboard.query(OutcomeBar)
        if found:
            found.first().say(f"{self.clock():%H:%M:%S}Z", text, severity)

    def wait_for(self, doing: str, after_escape: str) -> None:
        screen = WorkingScreen(doing, after_escape)
        self.waiting = screen
        self.push_screen(screen, partial(self._stopped_waiting, screen))

    def _stopped_waiting(self, screen: WorkingScreen, _: object) -> None:
        if self.waiting is screen:
            self.waiting = None
            self.notify(f"stopped waiting for: {screen.doing}")

    def action_command_palette(self) -> None:
        # The wait holds every key, ctrl+p too: the dialog it waits for opens on top of it.
        if self.waiting is None:
            super().action_command_palette()

    def end_wait(self) -> bool:
        """Close the working screen; False when the operator had stopped waiting already."""
        screen, self.waiting = self.waiting, None
        if screen is None:
            return False
        if self.screen is screen:
            self.pop_screen()
        return True

    # -- the actions -------------------------------------------------------------------------

    def target(self, verb: str, mutation: bool = True) -> ServiceState | None:
        """The selected service, or None after telling the operator why not."""
        if mutation and self.read_only:
            self.notify(
                f"{verb} refused: this console runs read-only (--read-only); nothing was changed",
                title="Read-only",
                severity="warning",
            )
            return None
        if mutation and self.group_running(OPERATION):
            self.notify("another operation is still running", title="Busy", severity="warning")
            return None
        self.follow_cursor()
        state = self.model.state()
        if state is None:
            self.notify(
                "select a service whose state has been read", title=verb, severity="warning"
            )
        return state

    def action_promote(self) -> None:
        state = self.target(Action.PROMOTE.value)
        if state is not None:
            self.with_audit_key(partial(self._prepare, Action.PROMOTE, state))

    def action_rollback(self) -> None:
        state = self.target(Action.ROLLBACK.value)
        if state is not None:
            self.with_audit_key(partial(self._prepare, Action.ROLLBACK, state))

    def _prepare(self, action: Action, state: ServiceState) -> None:
        # `state` is the service highlighted when the key was handled, as it was shown then.
        self.busy = f"reading {state.ref.function} to prepare the {action.value}…"
        self.wait_for(self.busy, NOTHING_CHANGED)
        # The colour whose role moves, as shown: if another operator moved it, a conflict.
        seen = state.idle_colour if action is Action.PROMOTE else state.live_colour
        self.prepare_change(action, state.ref, seen)

    def action_deploy(self) -> None:
        state = self.target("deploy")
        if state is not None:
            self.with_audit_key(partial(self._choose_deploy, state))

    def _choose_deploy(self, state: ServiceState) -> None:
        versions = self.model.versions.get(state.ref.function, ())
        self.push_screen(DeployScreen(state, versions), partial(self._deploy_requested, state))

    # -- the audit signing key, unlocked before the first record it must sign ----------------

    def with_audit_key(self, then: Callable[[], None]) -> None:
        """Run `then` once records can be signed: at once, or after the keyring is unlocked."""
        if self._audit_key_open or self.backend.audit_key is None:
            then()
            return
        self._after_unlock = then
        self.busy = "opening the keyring that holds the audit signing key…"
        self.wait_for(self.busy, NOTHING_CHANGED)
        self.check_audit_key()

    def on_keyring_state(self, message: KeyringState) -> None:
        self.busy = ""
        if not self.end_wait():
            self._after_unlock = None
            return
        if not message.locked:
            self._audit_key_open = True
            then, self._after_unlock = self._after_unlock, None
            if then is not None:
                then()
            return
        modal = UnlockKeyring(message.locked, problem=message.problem)
        self.push_screen(modal, self._passphrase_entered)

    def _passphrase_entered(self, passphrase: str | None) -> None:
        if passphrase is None:
            self._after_unlock = None
            self.notify(
                "the audit signing key stays locked, so no change was started: a change is"
                " recorded signed or not at all",
                title="Cancelled",
            )
            return
        self.busy = "unlocking the keyring…"
        self.wait_for(self.busy, NOTHING_CHANGED)
        self.unlock_audit_key(passphrase)

    def _deploy_requested(self, state: ServiceState, request: DeployRequest | None) -> None:
        if request is None:
            self.notify("deploy cancelled; nothing was changed", title="Cancelled")
            return
        self.busy = f"preparing the deploy to {state.ref.function}…"
        self.wait_for(self.busy, NOTHING_CHANGED)
        self.prepare_deploy(state.ref, request, state.idle_colour)

    def action_smoke(self) -> None:
        # Like `bgtui test`, allowed read-only: it invokes the idle colour and changes no pointer.
        if self.group_running(OPERATION):
            self.notify("another operation is still running", title="Busy", severity="warning")
            return
        state = self.target("test", mutation=False)
        if state is not None:
            self.with_audit_key(partial(self._smoke, state))  # its result is an audit record

    def _smoke(self, state: ServiceState) -> None:
        idle = state.idle_alias
        what = f"idle {idle.name} v{idle.version}" if idle else "the idle colour"
        self.busy = f"smoke-testing {what} of {state.ref.function}…"
        self.wait_for(self.busy, CARRIES_ON)
        self.run_smoke(state.ref, state.idle_colour)

    def action_audit(self) -> None:
        screen = AuditScreen()
        self.push_screen(screen)
        self.load_audit(screen)

    def action_terraform(self) -> None:
        self.push_screen(TerraformScreen(self.terraform.where))

    def action_chart(self) -> None:
        state = self.target("chart", mutation=False)
        if state is not None:
            self.push_screen(ChartScreen(state, self.model.window()))

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_refresh(self) -> None:
        self.refresh_now(metrics_now=True)

    # -- what the workers answer -------------------------------------------------------------

    def on_change_prepared(self, message: ChangePrepared) -> None:
        self.busy = ""
        change = message.change
        if not self.end_wait():
            verb = VERBS.get(change.action, change.action.value)
            self.notify(f"{verb} {change.function} left before review; nothing was changed")
            return
        policy = self.backend.operations.policy
        where = self.dashboard.query_one(ContextBar).where
        self.push_screen(ChangeScreen(change, policy, where), self._confirmed)

    def _confirmed(self, confirmed: Confirmed | None) -> None:
        if confirmed is None:
            self.notify("cancelled; nothing was changed", title="Cancelled")
            return
        change = confirmed.change
        self.busy = PROGRESS[change.action].format(fn=change.function)
        self.wait_for(self.busy, CARRIES_ON)
        self.execute_change(change, confirmed.typed)

    def on_change_done(self, message: ChangeDone) -> None:
        self.end_wait()
        result = message.result
        title = f"{VERBS.get(result.action, result.action.value)} {result.function}: done"
        self.notify(result.message, title=title)
        for warning in result.warnings:
            self.notify(warning, title="Warning", severity="warning")
        self.model.versions.pop(result.function, None)
        self.refresh_now(metrics_now=True)

    def on_change_conflicted(self, message: ChangeConflicted) -> None:
        self.end_wait()
        self.notify(message.detail, title=f"Conflict: {message.change.function}")
        self.push_screen(ConflictScreen(message.change, message.detail, message.now))
        self.refresh_now()

    def on_smoke_done(self, message: SmokeDone) -> None:
        report = message.report
        shown = self.end_wait()
        if shown:
            self.push_screen(SmokeScreen(report))
        verdict = "passed" if report.passed else "FAILED"
        where = f"{report.state.ref.function} idle {report.colour.value} v{report.version}"
        # Unseen (the operator stopped waiting), a failure needs attention: a toast too.
        severity: SeverityLevel = "information" if shown or report.passed else "warning"
        self.notify(f"{where}: {report.summary}", title=f"Smoke test {verdict}", severity=severity)
        self.refresh_now()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Only bgtui's own: textual's (keys panel, maximize, theme…) are not this console's.
        for title, help_text, action in PALETTE:
            yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))
