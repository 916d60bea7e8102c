"""The audit history: every recorded step, newest first, with the chain's verification."""

from __future__ import annotations

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
from bgtui.ui.audit_rows import COLUMNS, record_detail, record_row
from bgtui.ui.messages import AuditRead
from bgtui.ui.workers import forward_failure


class AuditScreen(Screen[None]):
    """Read-only; its worker reads and verifies the records when the screen opens."""

    CSS_PATH = "audit.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("q", "app.pop_screen", "Back")]

    def __init__(self, audit: AuditReader) -> None:
        super().__init__()
        self.audit = audit
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

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit")
    def load_audit(self) -> None:
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
            Text(f"Audit trail · {mark} {printable(message.verification)}", style=style)
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
