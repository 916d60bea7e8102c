"""The Terraform view: plan output streamed as printed, the summary, workspaces, confirmed apply."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Label, RichLog, Select, Static
from textual.worker import Worker

from bgtui.core.errors import Refused
from bgtui.core.plain_text import printable
from bgtui.core.plan import ApplyAccounts, PlanLevel, PlanLine, PlanSummary, Workspaces
from bgtui.ui.messages import (
    TerraformAccountsRead,
    TerraformFinished,
    TerraformOutput,
    TerraformWorkspaces,
)
from bgtui.ui.screens.typed_confirm import TypedConfirmScreen
from bgtui.ui.terraform_session import (
    ACCOUNT_CHECK,
    PLAN_FILE,
    TERRAFORM,
    TerraformSession,
    finished,
    say,
    stream,
)
from bgtui.ui.workers import forward_failure

LEVEL_MARKS = {PlanLevel.ERROR: ("✖ ", "bold reverse"), PlanLevel.WARNING: ("! ", "bold")}


def plan_line(line: PlanLine) -> Text:
    """A line as printed; errors and warnings get a mark, so they read without colour too."""
    mark, style = LEVEL_MARKS.get(line.level, ("", ""))
    # RichLog, like Log, would drop an empty line: a space keeps terraform's spacing.
    return Text(f"{mark}{printable(line.text)}" or " ", style=style)


def short_path(where: str, parts: int = 3) -> str:
    """The last few components of a root directory: the part that tells roots apart."""
    pieces = where.split("/")
    return where if len(pieces) <= parts + 1 else "…/" + "/".join(pieces[-parts:])


class TerraformScreen(Screen[None]):
    """Escape or ctrl+c stops terraform (SIGINT lets it release its lock); when idle, goes back.

    Its workers are its own: one terraform run at a time, each line streamed here as printed.
    """

    CSS_PATH = "terraform.tcss"
    BINDINGS = [
        Binding("escape", "cancel_or_back", "Stop / back"),
        Binding("ctrl+c", "cancel_or_back", "Stop", show=False, priority=True),
        Binding("p", "plan", "Plan again"),
        Binding("a", "apply", "Apply…"),
        Binding("w", "workspace", "Workspace"),
    ]

    def __init__(self, session: TerraformSession) -> None:
        super().__init__()
        self.session = session
        self.where = session.where
        self.summary: PlanSummary | None = None
        self.running = ""
        self.workspace = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="tf-head"):
            yield Label(Text(f"Terraform · {printable(short_path(self.where))}"), id="tf-where")
            yield Select[str]([], prompt="workspace", id="tf-workspace", compact=True)
        # min_width=1: RichLog's default (78) renders wider than the log is at 80 columns, and
        # the view then cuts the end off every wrapped line.
        yield RichLog(id="tf-log", max_lines=20000, wrap=True, auto_scroll=True, min_width=1)
        yield Static("", id="tf-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.action_plan()

    @property
    def log_view(self) -> RichLog:
        return self.query_one("#tf-log", RichLog)

    def _start(self, operation: str) -> bool:
        if self.running:
            self.notify(
                f"terraform {self.running} is still running", title="Busy", severity="warning"
            )
            return False
        self.running = operation
        self.summary = None
        self._show_status(f"terraform {operation} running… (escape stops it)")
        return True

    def action_plan(self, select: str = "") -> None:
        if self._start("plan"):
            self.log_view.clear()
            self.terraform_plan(select)

    def action_apply(self) -> None:
        if self.session.read_only:
            self.notify("apply refused: read-only console", title="Read-only", severity="warning")
            return
        summary = self.summary
        if self.running or summary is None or not summary.has_changes:
            self.notify(
                "plan first: apply needs a finished plan with changes",
                title="Apply",
                severity="warning",
            )
            return
        self.running = ACCOUNT_CHECK
        self._show_status("reading which account the plan ran against…")
        self.terraform_accounts()

    def on_terraform_accounts_read(self, message: TerraformAccountsRead) -> None:
        """Confirm only an apply to the account bgtui acts as; show both either way."""
        self.running = ""
        accounts, summary = message.accounts, self.summary
        if summary is not None:
            self._show_status(summary.text, bold=True)
        for line in accounts.lines:
            self.log_view.write(Text(printable(line)))
        if accounts.refusal:
            self.log_view.write(plan_line(PlanLine(accounts.refusal, PlanLevel.ERROR)))
            self.notify(
                printable(accounts.refusal),
                title="Apply refused",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        if summary is None:
            return
        where = f"workspace {printable(self.workspace)} · {printable(self.where)}"
        lines = [summary.text, where, *accounts.lines]
        confirm = TypedConfirmScreen(
            f"Apply to workspace {self.workspace}?", lines, self.workspace, "Apply"
        )
        self.app.push_screen(confirm, partial(self._apply_confirmed, accounts))

    def _apply_confirmed(self, accounts: ApplyAccounts, confirmed: bool | None) -> None:
        if not confirmed:
            self.notify("apply cancelled; nothing was changed", title="Cancelled")
            plan = f"{self.summary.text} · " if self.summary else ""
            self._show_status(f"{plan}apply cancelled; nothing was changed · a: apply…")
            return
        if self._start("apply"):
            self.terraform_apply(accounts)

    def action_workspace(self) -> None:
        self.query_one("#tf-workspace", Select).focus()

    def action_cancel_or_back(self) -> None:
        if not self.running:
            self.dismiss()
            return
        self.workers.cancel_group(self, TERRAFORM)
        self.log_view.write(Text("stop sent: terraform is stopping and releasing its lock…"))

    @on(Select.Changed, "#tf-workspace")
    def _workspace_picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.workspace:
            self.action_plan(select=event.value)

    def on_terraform_output(self, message: TerraformOutput) -> None:
        event = message.event
        if isinstance(event, PlanSummary):
            self.summary = event
            self._show_status(event.text, bold=True)
        else:
            self.log_view.write(plan_line(event))

    def on_terraform_workspaces(self, message: TerraformWorkspaces) -> None:
        workspaces: Workspaces = message.workspaces
        self.workspace = workspaces.current
        select = self.query_one("#tf-workspace", Select)
        select.set_options([(Text(printable(name)), name) for name in workspaces.names])
        # Set after self.workspace, so the Changed it posts does not start another plan.
        select.value = workspaces.current

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(event, self.app)

    def on_terraform_finished(self, message: TerraformFinished) -> None:
        self.running = ""
        # Lines written before the log knew its width are laid out later, past the point the
        # log had scrolled to: the operator must see terraform's last words.
        self.log_view.scroll_end(animate=False)
        if message.outcome == "ok" and self.summary is not None:
            hint = (
                " · a: apply…" if self.summary.has_changes and message.operation == "plan" else ""
            )
            self._show_status(f"{self.summary.text}{hint}", bold=True)
        elif message.outcome != "ok":
            self._show_status(f"terraform {message.operation} {message.outcome}")

    def _show_status(self, text: str, bold: bool = False) -> None:
        style = "bold" if bold else ""
        self.query_one("#tf-summary", Static).update(Text(printable(text), style=style))

    # -- the workers: asyncio ones, so cancelling one stops terraform cleanly (SIGINT) ---------

    @work(exclusive=True, exit_on_error=False, group=TERRAFORM)
    async def terraform_plan(self, select: str = "") -> None:
        """Init when needed, select a workspace when asked, list workspaces, then plan."""

        async def plan() -> None:
            runner = await self.session.runner()
            if not runner.initialised:
                say(self, "$ terraform init")
                await stream(runner.init(), self)
            if select:
                say(self, f"$ terraform workspace select {select}")
                await runner.select_workspace(select)
            workspaces = await runner.workspaces()
            self.post_message(TerraformWorkspaces(workspaces))
            say(self, f"$ terraform plan ({workspaces.current})")
            await stream(runner.plan(out=PLAN_FILE), self)

        await finished(self, "plan", plan)

    @work(exclusive=True, exit_on_error=False, group=TERRAFORM)
    async def terraform_accounts(self) -> None:
        """Read which account the saved plan ran against, and which one bgtui acts as."""

        async def check() -> None:
            self.post_message(TerraformAccountsRead(await self.session.apply_accounts()))

        await finished(self, ACCOUNT_CHECK, check)

    @work(exclusive=True, exit_on_error=False, group=TERRAFORM)
    async def terraform_apply(self, accounts: ApplyAccounts) -> None:
        """Apply the saved plan; only one read to have run against the account bgtui acts as."""

        async def apply() -> None:
            if accounts.refusal:
                raise Refused(f"terraform apply refused: {accounts.refusal}")
            runner = await self.session.runner()
            say(self, f"$ terraform apply {PLAN_FILE}")
            await stream(runner.apply(PLAN_FILE, confirmed=True), self)

        await finished(self, "apply", apply)
