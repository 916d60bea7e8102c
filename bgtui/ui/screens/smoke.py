"""The results of a smoke run of the idle colour, check by check."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from bgtui.core.operations import SmokeReport


class SmokeScreen(ModalScreen[None]):
    """Closes with Escape, Enter or the button; the run is already in the audit trail."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, report: SmokeReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        verdict = "PASSED" if report.passed else "FAILED"
        name = report.state.ref.function
        with Vertical(id="dialog", classes="calm" if report.passed else "") as dialog:
            dialog.border_title = f"Smoke test {verdict}: {name} idle {report.colour.value}"
            yield Static(
                f"{report.colour.symbol} {report.colour.value} v{report.version} · "
                f"{report.summary} · recorded for the promotion gate",
                id="scope",
            )
            table: DataTable[str] = DataTable(id="results", cursor_type="row")
            table.add_columns("result", "kind", "check", "answered", "ms", "detail")
            for result in report.results:
                table.add_row(
                    result.verdict,
                    result.kind,
                    result.name,
                    result.answered_by,
                    f"{result.duration_ms:.0f}",
                    result.detail,
                )
            yield table
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
