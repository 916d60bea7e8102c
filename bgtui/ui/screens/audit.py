"""The audit history: this host's file or the team's trail, newest first, with verification."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker

from bgtui.app.service import AuditReader
from bgtui.core.audit_record import AuditRecord
from bgtui.core.plain_text import printable
from bgtui.core.team_trail import TeamTrail
from bgtui.ui.audit_rows import COLUMNS, record_detail, record_row
from bgtui.ui.messages import AuditRead
from bgtui.ui.workers import forward_failure


class AuditScreen(Screen[None]):
    """Read-only; its worker reads and verifies the records when the screen opens and on `t`."""

    CSS_PATH = "audit.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.pop_screen", "Back"),
        Binding("t", "toggle_team", "This host / team"),
    ]

    def __init__(self, audit: AuditReader, team: Callable[[], TeamTrail] | None = None) -> None:
        super().__init__()
        self.audit = audit
        self.team = team
        """Reads every operator's records from the audit log groups (blocking: workers only)."""
        self.team_view = False
        """Whether the table shows the team's trail rather than this host's file."""
        self.records: list[AuditRecord] = []

    def compose(self) -> ComposeResult:
        yield Static("Audit trail · verifying…", id="verification")
        table: DataTable[str] = DataTable(id="records", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table
        with VerticalScroll(id="record-detail-box"):
            yield Static(id="record-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.load_audit()

    def action_toggle_team(self) -> None:
        if self.team is None:
            self.notify("this console cannot read the team's trail", title="Team's trail")
            return
        self.team_view = not self.team_view
        self.query_one("#verification", Static).update(f"{self._title()} · reading…")
        self.load_audit()

    def _title(self) -> str:
        return "Team's trail" if self.team_view else "Audit trail"

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit")
    def load_audit(self) -> None:
        if self.team_view and self.team is not None:
            trail = self.team()
            records = [team_record.record for team_record in reversed(trail.records)]
            self.post_message(AuditRead(records, trail.summary(), trail.ok))
            return
        report = self.audit.verify()
        records = list(reversed(self.audit.records()))
        self.post_message(AuditRead(records, report.summary(), report.ok))

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(event, self.app)

    def on_audit_read(self, message: AuditRead) -> None:
        self.records = list(message.records)
        mark = "✔" if message.intact else "✖"
        style = "bold" if message.intact else "bold reverse"
        self.query_one("#verification", Static).update(
            Text(f"{self._title()} · {mark} {printable(message.verification)}", style=style)
        )
        table = self.query_one("#records", DataTable)
        table.clear()
        for index, record in enumerate(self.records):
            # Text cells: a reason typed by another operator is shown, never interpreted.
            table.add_row(*(Text(cell) for cell in record_row(record)), key=str(index))
        if not self.records:
            self.query_one("#record-detail", Static).update("no records yet")
        table.focus()

    @on(DataTable.RowHighlighted, "#records")
    def _show_detail(self, event: DataTable.RowHighlighted) -> None:
        index = int(event.row_key.value or 0)
        if index < len(self.records):
            detail = Text(record_detail(self.records[index]))
            self.query_one("#record-detail", Static).update(detail)
