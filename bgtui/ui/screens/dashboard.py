"""The main screen: services, then the selected one's detail; its keys and workers run changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Label
from textual.worker import Worker, WorkerState

from bgtui.app.backend import Backend
from bgtui.app.deploy_source import DeployRequest
from bgtui.app.regional import split_key
from bgtui.app.service import ReleaseService
from bgtui.core.approval import awaits_approval
from bgtui.core.approval_text import gate_lines, request_lines
from bgtui.core.change import Action, Change
from bgtui.core.errors import BgtuiError, Conflict
from bgtui.core.metrics import HealthWindow
from bgtui.core.models import Colour, ServiceRef, ServiceState, VersionInfo
from bgtui.core.watch import WatchReport, WatchWindow
from bgtui.core.whereabouts import Whereabouts
from bgtui.ui.approval_view import (
    APPROVE_KEY,
    ApprovalDone,
    ApprovalRead,
    ApprovalRequested,
    wanted_lines,
)
from bgtui.ui.console import Console
from bgtui.ui.messages import (
    ChangeConflicted,
    ChangeDone,
    ChangePrepared,
    KeyringState,
    SmokeDone,
)
from bgtui.ui.model import METRICS_IN, ConsoleModel
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.audit import AuditScreen
from bgtui.ui.screens.change import VERBS, ChangeScreen, Confirmed
from bgtui.ui.screens.chart import ChartScreen
from bgtui.ui.screens.conflict import ConflictScreen
from bgtui.ui.screens.contexts import ContextScreen
from bgtui.ui.screens.deploy import DeployScreen
from bgtui.ui.screens.help import HelpScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.screens.unlock_keyring import UnlockKeyring
from bgtui.ui.screens.working import WorkingScreen
from bgtui.ui.widgets.bars import (
    CredentialsBar,
    OperationBar,
    OutcomeBar,
    StatusBar,
    TopBar,
    WalkthroughBar,
)
from bgtui.ui.widgets.context_bar import ContextBar
from bgtui.ui.widgets.health_panel import HealthPanel
from bgtui.ui.widgets.key_footer import KeyFooter
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.widgets.summary import ServiceSummary, StageHealth
from bgtui.ui.widgets.versions import VersionsTable
from bgtui.ui.widgets.watch_panel import WatchPanel
from bgtui.ui.workers import FINISHED, KEYRING, OPERATION, forward_failure, group_running

SECONDARY_KEYS = ("terraform", "chart", "logs", "switch_context", "filter")
"""Left out of the footer at 80 columns (listed by `?` and the palette) so the rest fit whole."""
PROGRESS = {
    Action.PROMOTE: "promoting {fn}: one write of the live alias, then verify…",
    Action.ROLLBACK: "rolling back {fn}: one write of the live alias, then verify…",
    Action.DEPLOY: "deploying to the idle colour of {fn}…",
}
NOTHING_CHANGED = "stop waiting; nothing has been changed"
CARRIES_ON = "stop waiting; it carries on and its outcome goes to the log line"


class DashboardScreen(Screen[None]):
    """Its keys are the command palette's actions too, so both do the same thing.

    The services list sits above the selected service's detail, never beside it: a screen row
    then never holds two services, and the colour panels are stacked for the same reason.

    Mutations refuse visibly in read-only mode; one operation runs at a time. Every action acts
    on the service highlighted when its key is handled, and an action that ends in a dialog
    holds the keyboard (a working screen) from the key until that dialog.
    """

    CSS_PATH = "dashboard.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("p", "promote", "Promote"),
        Binding("r", "rollback", "Rollback"),
        Binding("d", "deploy", "Deploy"),
        Binding("t", "smoke", "Test"),
        Binding("a", "audit", "Audit"),
        Binding("f", "terraform", "Terraform"),
        Binding("c", "chart", "Chart"),
        Binding("l", "logs", "Logs"),
        Binding("x", "switch_context", "Context"),
        # Off the footer (no room at 120 columns): the detail names it when a request waits.
        Binding(APPROVE_KEY, "approve", "Approve", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]
    busy: reactive[str] = reactive("", init=False)
    """What the running operation is doing; empty when none runs."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self.waiting: WorkingScreen | None = None
        """The working screen on show, until the dialog or outcome it waits for arrives."""
        self._audit_key_open = False
        """Records can be signed (or need no key): the keyring is not asked again."""
        self._after_unlock: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield ContextBar(id="context")
        yield CredentialsBar(id="credentials")
        yield WalkthroughBar(id="walkthrough")
        yield OperationBar(id="operation")
        yield ServiceList(id="services")
        with VerticalScroll(id="detail"):
            yield ServiceSummary(id="summary")
            yield WatchPanel(id="watch")
            yield HealthPanel(Colour.BLUE, id="blue")
            yield HealthPanel(Colour.GREEN, id="green")
            yield StageHealth(id="stages")
            yield Label("versions", classes="section")
            yield VersionsTable(id="versions")
        yield OutcomeBar(id="outcome")
        yield StatusBar(id="status")
        yield KeyFooter(SECONDARY_KEYS)

    def on_mount(self) -> None:
        self.query_one(ServiceList).table.focus()

    @property
    def model(self) -> ConsoleModel:
        return self.console.model  # the console's own: a context switch replaces it

    @property
    def service(self) -> ReleaseService:
        return self.console.service

    def service_for(self, ref: ServiceRef) -> ReleaseService:
        """The service of the region `ref` was read in (the context may read several)."""
        return self.console.regions.service_for(ref)

    @property
    def read_only(self) -> bool:
        return self.service.policy.read_only

    # -- what the dashboard shows --------------------------------------------------------------

    def show_selected(
        self,
        function: str,
        state: ServiceState | None,
        window: HealthWindow | None,
        error: BgtuiError | None = None,
    ) -> None:
        found = self.query(ServiceSummary)
        if not found:
            return  # a worker's answer arriving before compose or after teardown
        summary = found.first()
        bar = self.query_one(ContextBar)
        bar.where = bar.where.for_service(state.ref if state else None)
        if error is not None and state is None:
            summary.show_error(function, error)
        else:
            summary.show(state, function)
        for panel in self.query(HealthPanel):
            panel.show(state, window)
        self.query_one(StageHealth).show(state, window)
        self._mark_trends(function)

    def show_watch(
        self,
        window: WatchWindow | None,
        report: WatchReport | None,
        now: datetime,
        guarded: bool = False,
    ) -> None:
        for panel in self.query(WatchPanel):
            panel.show(window, report, now, guarded)

    def show_versions(
        self, function: str, versions: Sequence[VersionInfo] | None, state: ServiceState | None
    ) -> None:
        found = self.query(VersionsTable)
        if not found:
            return
        table = found.first()
        if versions is None:
            table.show_loading(function)
        else:
            table.show(versions, state)

    def show_services(self) -> None:
        model = self.model
        self.query_one(ServiceList).show(
            model.states, model.unreadable, model.pending, model.selected, model.key_of
        )

    def show_where(self, demo: bool, region: str, endpoint_host: str) -> None:
        top = self.query_one(TopBar)
        top.demo, top.read_only = demo, self.read_only
        status = self.query_one(StatusBar)
        status.aws_region, status.endpoint_host = region, endpoint_host

    def show_account(self, account: str, alias: str = "") -> None:
        self.query_one(StatusBar).account = account
        bar = self.query_one(ContextBar)
        bar.where = replace(bar.where, account=account, account_alias=alias)

    def show_whereabouts(self, where: Whereabouts) -> None:
        self.query_one(ContextBar).where = where
        self.query_one(StatusBar).regions = where.regions

    def show_new_context(self, demo: bool, region: str, endpoint_host: str) -> None:
        """Nothing of the context left: what is shown next is read in the new one."""
        self.show_where(demo, region, endpoint_host)
        self.query_one(TopBar).stale = ""
        self.show_credentials("")
        status = self.query_one(StatusBar)
        status.account, status.refreshed = "…", "never"
        status.failed_regions = frozenset()
        self.query_one(ServiceList).show((), {}, (), "")
        self.show_selected("", None, None)
        self.show_versions("", (), None)

    def show_refreshed(self, at: str) -> None:
        self.query_one(StatusBar).refreshed = at

    def show_stale(self) -> None:
        self.query_one(TopBar).stale = self.model.stale_text()
        self.query_one(StatusBar).failed_regions = self.model.failed_regions
        self._mark_trends(self.model.selected)

    def _mark_trends(self, function: str) -> None:
        """The selected row's trends are marked stale while its region's metrics fail."""
        source = self.model.metrics_stale(function)
        region = split_key(function)[1]
        mark = f"{METRICS_IN}{region} since {source.since:%H:%M:%S}Z" if source else ""
        for panel in self.query(HealthPanel):
            panel.stale = mark

    def show_credentials(self, advice: str) -> None:
        self.query_one(CredentialsBar).show(advice)

    def show_walkthrough(self, banner: str) -> None:
        self.query_one(WalkthroughBar).show(banner)

    def log_outcome(self, at: str, text: str, severity: str) -> None:
        found = self.query(OutcomeBar)
        if found:
            found.first().say(at, text, severity)

    def watch_busy(self, busy: str) -> None:
        self.query_one(OperationBar).running = busy

    @property
    def highlighted(self) -> str:
        """The service under the list's cursor now ("" before the list shows any)."""
        found = self.query(ServiceList)
        return found.first().highlighted if found else ""

    def follow_cursor(self) -> None:
        """Select the service highlighted now; a burst of keys can be ahead of its messages."""
        function = self.highlighted
        if function and function != self.model.selected:
            self.query_one(ServiceList).selected_now(function)
            self.console.select(function)

    # -- waiting for a worker, holding the keyboard --------------------------------------------

    def wait_for(self, doing: str, after_escape: str) -> None:
        screen = WorkingScreen(doing, after_escape)
        self.waiting = screen
        self.app.push_screen(screen, partial(self._stopped_waiting, screen))

    def _stopped_waiting(self, screen: WorkingScreen, _: object) -> None:
        if self.waiting is screen:
            self.waiting = None
            self.notify(f"stopped waiting for: {screen.doing}")

    def end_wait(self) -> bool:
        """Close the working screen; False when the operator had stopped waiting already."""
        screen, self.waiting = self.waiting, None
        if screen is None:
            return False
        if self.app.screen is screen:
            self.app.pop_screen()
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
        if mutation and group_running(self.workers, OPERATION):
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
        versions = self.model.versions.get(self.model.key_of(state.ref), ())
        screen = DeployScreen(state, versions)
        self.app.push_screen(screen, partial(self._deploy_requested, state))

    def _deploy_requested(self, state: ServiceState, request: DeployRequest | None) -> None:
        if request is None:
            self.notify("deploy cancelled; nothing was changed", title="Cancelled")
            return
        self.busy = f"preparing the deploy to {state.ref.function}…"
        self.wait_for(self.busy, NOTHING_CHANGED)
        self.prepare_deploy(state.ref, request, state.idle_colour)

    def action_smoke(self) -> None:
        # Like `bgtui test`, allowed read-only: it invokes the idle colour and changes no pointer.
        if group_running(self.workers, OPERATION):
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

    def action_approve(self) -> None:
        """Approve another principal's promote request on the highlighted service."""
        state = self.target("approve")
        if state is not None:
            self.with_audit_key(partial(self._read_request, state))

    def _read_request(self, state: ServiceState) -> None:
        self.busy = f"reading the promote request of {state.ref.function}…"
        self.wait_for(self.busy, NOTHING_CHANGED)
        self.read_approval(state.ref)

    def action_audit(self) -> None:
        self.app.push_screen(AuditScreen(self.service.audit, team=self.service.team_audit))

    def action_terraform(self) -> None:
        from bgtui.ui.screens.terraform import TerraformScreen  # as LogsScreen, at first use

        self.app.push_screen(TerraformScreen(self.console.terraform))

    def action_chart(self) -> None:
        state = self.target("chart", mutation=False)
        if state is not None:
            self.app.push_screen(ChartScreen(state, self.model.window()))

    def action_logs(self) -> None:
        """The logs of the colour panel in focus, else of the live colour."""
        state = self.target("logs", mutation=False)
        if state is None:
            return
        if not self.service.reads_logs:
            self.notify("logs cannot be read with this configuration", title="logs")
            return
        focused = self.focused
        colour = focused.colour if isinstance(focused, HealthPanel) else state.live_colour
        service = self.service_for(state.ref)
        # Imported at the first use: its widgets load Rich's pretty-printer, which the start
        # does not need.
        from bgtui.ui.screens.logs import LogsScreen

        screen = LogsScreen(state, colour or Colour.BLUE, service, self.console.clock)
        self.app.push_screen(screen)

    def action_switch_context(self) -> None:
        switcher = self.console.switcher
        if switcher is None or not switcher.contexts:
            self.notify(
                "no [[context]] tables in the configuration: see README, Contexts",
                title="No contexts",
                severity="warning",
            )
            return
        if group_running(self.workers, OPERATION):
            self.notify(
                "an operation is running: switch when its outcome is in",
                title="Not now",
                severity="warning",
            )
            return
        screen = ContextScreen(switcher, self.service.settings.context)
        self.app.push_screen(screen, self._context_chosen)

    def _context_chosen(self, backend: Backend | None) -> None:
        if backend is not None:
            self.console.use_backend(backend)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_filter(self) -> None:
        self.query_one(ServiceList).open_filter()

    # -- the audit signing key, unlocked before the first record it must sign ----------------

    def with_audit_key(self, then: Callable[[], None]) -> None:
        """Run `then` once records can be signed: at once, or after the keyring is unlocked."""
        if self._audit_key_open or self.service.audit_key is None:
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
        self.app.push_screen(modal, self._passphrase_entered)

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

    # -- what the workers answer -------------------------------------------------------------

    def on_approval_read(self, message: ApprovalRead) -> None:
        self.busy = ""
        function = message.state.ref.function
        if not self.end_wait():
            self.notify(f"approval of {function} left before review; nothing was changed")
            return
        lines = request_lines(message.state, message.request, self.console.clock())
        screen = ApproveScreen(function, lines, gate_lines(message.gates, message.gates_problem))
        self.app.push_screen(screen, partial(self._approval_answered, message.state, screen))

    def _approval_answered(self, state: ServiceState, screen: ApproveScreen, _: None) -> None:
        if screen.reason is None:
            self.notify("approval cancelled; nothing was changed", title="Cancelled")
            return
        self.busy = f"approving the promote request of {state.ref.function}…"
        self.wait_for(self.busy, CARRIES_ON)
        self.approve_request(state.ref, screen.reason)

    def on_approval_done(self, message: ApprovalDone) -> None:
        self.end_wait()
        request = message.request
        text = (
            f"{message.function}: v{request.version} approved by {request.approvers[-1]} "
            f"(requested by {request.requester}); either may promote now"
        )
        self.notify(text, title=f"Approved: {message.function}")
        self.console.refresh_now()

    def on_approval_requested(self, message: ApprovalRequested) -> None:
        self.busy = ""
        self.end_wait()
        request, function = message.request, message.function
        text = (
            f"{function}: promote needs a second person: request by {request.requester} for "
            f"v{request.version}, until {request.expires_at:%H:%M}Z; another principal presses "
            f"{APPROVE_KEY} here (or runs bgtui approve {function}), then promote again"
        )
        self.notify(text, title=f"Approval requested: {function}", timeout=20)
        self.console.refresh_now()

    def on_change_prepared(self, message: ChangePrepared) -> None:
        self.busy = ""
        change = message.change
        if not self.end_wait():
            verb = VERBS.get(change.action, change.action.value)
            self.notify(f"{verb} {change.function} left before review; nothing was changed")
            return
        if change.action is Action.PROMOTE and awaits_approval(change):
            screen = ApproveScreen(
                change.function,
                wanted_lines(change, self.service.policy.approval_minutes),
                gate_lines(change.gates),
                verb="Request approval for",
                title=f"Promote {change.function}: a second person must approve",
            )
            self.app.push_screen(screen, partial(self._request_reason, change, screen))
            return
        where = self.query_one(ContextBar).where
        self.app.push_screen(ChangeScreen(change, self.service.policy, where), self._confirmed)

    def _request_reason(self, change: Change, screen: ApproveScreen, _: None) -> None:
        if screen.reason is None:
            self.notify("no approval requested; nothing was changed", title="Cancelled")
            return
        self.busy = f"requesting approval of the promote of {change.function}…"
        self.wait_for(self.busy, CARRIES_ON)
        self.request_approval(change.state.ref, screen.reason)

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
        self.model.forget_versions(result.function)
        self.console.refresh_now(metrics_now=True)

    def on_change_conflicted(self, message: ChangeConflicted) -> None:
        self.end_wait()
        self.notify(message.detail, title=f"Conflict: {message.change.function}")
        self.app.push_screen(ConflictScreen(message.change, message.detail, message.now))
        self.console.refresh_now()

    def on_smoke_done(self, message: SmokeDone) -> None:
        report = message.report
        shown = self.end_wait()
        if shown:
            self.app.push_screen(SmokeScreen(report))
        verdict = "passed" if report.passed else "FAILED"
        where = f"{report.state.ref.function} idle {report.colour.value} v{report.version}"
        # Unseen (the operator stopped waiting), a failure needs attention: a toast too.
        severity: SeverityLevel = "information" if shown or report.passed else "warning"
        self.notify(f"{where}: {report.summary}", title=f"Smoke test {verdict}", severity=severity)
        self.console.refresh_now()

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker, state = event.worker, event.state
        if state not in FINISHED:
            return
        if worker.group == OPERATION:
            self.end_wait()  # before the error, so its toast is not hidden behind the wait
        forward_failure(event, self.app)
        if worker.group == OPERATION:
            self.busy = ""
            if state is WorkerState.ERROR:
                # A failed or unknown outcome: show what is true now, not what was hoped.
                self.console.refresh_now()
        if worker.group == KEYRING and state is WorkerState.ERROR:
            self.busy, self._after_unlock = "", None

    # -- the workers: each blocking call on a thread, its answer posted back here --------------

    @work(thread=True, exclusive=True, exit_on_error=False, group=KEYRING)
    def check_audit_key(self) -> None:
        """Whether records can be signed now, or which keyring must be unlocked first."""
        audit_key = self.service.audit_key
        self.post_message(KeyringState(audit_key.locked_location() if audit_key else ""))

    @work(thread=True, exclusive=True, exit_on_error=False, group=KEYRING)
    def unlock_audit_key(self, passphrase: str) -> None:
        """Open the keyring (an Argon2 derivation: about a second) and say whether it opened."""
        audit_key = self.service.audit_key
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
        service = self.service_for(ref)
        if action is Action.PROMOTE:
            # The console watches what it promotes: the window is recorded with the swap.
            minutes = service.watch_thresholds(ref).minutes
            change = service.prepare_promote(ref, to=seen, watch_minutes=minutes)
        else:
            change = service.prepare_rollback(ref, from_colour=seen)
        self.post_message(ChangePrepared(change))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def read_approval(self, ref: ServiceRef) -> None:
        """The request and the gates; a request that cannot be approved is refused here.

        The refusal goes through the approve flow, so it is recorded and its line is the CLI's.
        """
        service = self.service_for(ref)
        state, request, problem = service.approval(ref)
        me = service.approvals().principal()
        if request is None or problem or me == request.requester or me in request.approvers:
            service.approve(ref, "")  # raises Refused: nothing to approve, or not by this one
            return
        self.post_message(ApprovalRead(state, request, *service.request_gates(ref, request)))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def request_approval(self, ref: ServiceRef, reason: str) -> None:
        """As `bgtui promote` does when approval is wanted: make (or keep) the request."""
        self.post_message(
            ApprovalRequested(ref.function, self.service_for(ref).request_approval(ref, reason))
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def approve_request(self, ref: ServiceRef, reason: str) -> None:
        self.post_message(ApprovalDone(ref.function, self.service_for(ref).approve(ref, reason)))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def prepare_deploy(
        self, ref: ServiceRef, request: DeployRequest, seen: Colour | None = None
    ) -> None:
        self.post_message(ChangePrepared(self.service_for(ref).prepare_deploy(ref, request, seen)))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def execute_change(self, change: Change, typed: str) -> None:
        service = self.service_for(change.state.ref)
        try:
            result = service.execute(change, typed)
        except Conflict as error:
            reread = service.reread(change.state.ref)
            self.post_message(ChangeConflicted(change, str(error), reread))
            return
        self.post_message(ChangeDone(result))

    @work(thread=True, exclusive=True, exit_on_error=False, group=OPERATION)
    def run_smoke(self, ref: ServiceRef, seen: Colour | None = None) -> None:
        self.post_message(SmokeDone(self.service_for(ref).smoke(ref, seen)))
