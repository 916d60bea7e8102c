"""What each key and palette command does: open the right modal, start the right worker."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.app import SystemCommand
from textual.reactive import reactive
from textual.screen import Screen

from bgtui.core.change import Action
from bgtui.core.models import ServiceState
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
from bgtui.ui.screens.deploy import DeployScreen
from bgtui.ui.screens.help import HelpScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.screens.terraform import TerraformScreen
from bgtui.ui.screens.unlock_keyring import UnlockKeyring
from bgtui.ui.terraform_workers import TerraformWorkers
from bgtui.ui.workers import OPERATION

PROGRESS = {
    Action.PROMOTE: "promoting {fn}: one write of the live alias, then verify…",
    Action.ROLLBACK: "rolling back {fn}: one write of the live alias, then verify…",
    Action.DEPLOY: "deploying to the idle colour of {fn}…",
}


class ConsoleActions(TerraformWorkers):
    """Mutations refuse visibly in read-only mode; one operation runs at a time."""

    model: ConsoleModel
    busy: reactive[str] = reactive("", init=False)
    """What the running operation is doing; empty when none runs."""
    _audit_key_open = False
    """Records can be signed (or need no key): the keyring is not asked again."""
    _after_unlock: Callable[[], None] | None = None

    @property
    def read_only(self) -> bool:
        return self.backend.operations.policy.read_only

    def refresh_now(self, metrics_now: bool = False) -> None:
        """Read services (and metrics when due, or now) again (the app schedules it)."""

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
        state = self.model.state()
        if state is None:
            self.notify(
                "select a service whose state has been read", title=verb, severity="warning"
            )
        return state

    def action_promote(self) -> None:
        if self.target(Action.PROMOTE.value) is not None:
            self.with_audit_key(partial(self._prepare, Action.PROMOTE))

    def action_rollback(self) -> None:
        if self.target(Action.ROLLBACK.value) is not None:
            self.with_audit_key(partial(self._prepare, Action.ROLLBACK))

    def _prepare(self, action: Action) -> None:
        state = self.target(action.value)
        if state is not None:
            self.busy = f"reading {state.ref.function} to prepare the {action.value}…"
            self.prepare_change(action, state.ref)

    def action_deploy(self) -> None:
        if self.target("deploy") is not None:
            self.with_audit_key(self._choose_deploy)

    def _choose_deploy(self) -> None:
        state = self.target("deploy")
        if state is None:
            return
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
        self.check_audit_key()

    def on_keyring_state(self, message: KeyringState) -> None:
        self.busy = ""
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
        self.unlock_audit_key(passphrase)

    def _deploy_requested(self, state: ServiceState, request: DeployRequest | None) -> None:
        if request is None:
            self.notify("deploy cancelled; nothing was changed", title="Cancelled")
            return
        self.busy = f"preparing the deploy to {state.ref.function}…"
        self.prepare_deploy(state.ref, request)

    def action_smoke(self) -> None:
        # Like `bgtui test`, allowed read-only: it invokes the idle colour and changes no pointer.
        if self.group_running(OPERATION):
            self.notify("another operation is still running", title="Busy", severity="warning")
            return
        if self.target("test", mutation=False) is not None:
            self.with_audit_key(self._smoke)  # its result is an audit record

    def _smoke(self) -> None:
        state = self.target("test", mutation=False)
        if state is None:
            return
        idle = state.idle_alias
        what = f"idle {idle.name} v{idle.version}" if idle else "the idle colour"
        self.busy = f"smoke-testing {what} of {state.ref.function}…"
        self.run_smoke(state.ref)

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

    def on_change_prepared(self, message: ChangePrepared) -> None:
        self.busy = ""
        policy = self.backend.operations.policy
        self.push_screen(ChangeScreen(message.change, policy), self._confirmed)

    def _confirmed(self, confirmed: Confirmed | None) -> None:
        if confirmed is None:
            self.notify("cancelled; nothing was changed", title="Cancelled")
            return
        change = confirmed.change
        self.busy = PROGRESS[change.action].format(fn=change.function)
        self.execute_change(change, confirmed.typed)

    def on_change_done(self, message: ChangeDone) -> None:
        result = message.result
        title = f"{VERBS.get(result.action, result.action.value)}: done"
        self.notify(result.message, title=title, timeout=8)
        for warning in result.warnings:
            self.notify(warning, title="Warning", severity="warning", timeout=12)
        self.model.versions.pop(result.function, None)
        self.refresh_now(metrics_now=True)

    def on_change_conflicted(self, message: ChangeConflicted) -> None:
        self.push_screen(ConflictScreen(message.change, message.detail, message.now))
        self.refresh_now()

    def on_smoke_done(self, message: SmokeDone) -> None:
        self.push_screen(SmokeScreen(message.report))
        self.refresh_now()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in PALETTE:
            yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))
