"""The results of a smoke run of the idle colour, check by check, each detail whole."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from bgtui.core.operations import SmokeReport
from bgtui.core.plain_text import printable
from bgtui.ui.screens.dialog import Dialog


def results_table(report: SmokeReport) -> Table:
    """A row per check; the function's answer wraps in its column, shown literally and whole."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=True, header_style="bold")
    table.add_column("result", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("answered", no_wrap=True)
    table.add_column("ms", no_wrap=True, justify="right")
    table.add_column("detail", ratio=1, overflow="fold")
    for result in report.results:
        style = "" if result.passed else "bold reverse"
        table.add_row(
            Text(result.verdict, style=style),
            result.kind,
            Text(printable(result.name)),
            Text(printable(result.answered_by)),
            f"{result.duration_ms:.0f}" if result.ran else "-",
            Text(printable(result.detail)),
        )
    return table


def tested_label(report: SmokeReport) -> str:
    """`● green`, or in the two-alias layout the candidate alias by its name."""
    ref = report.state.ref
    if ref.two_alias:
        return f"candidate {printable(ref.alias_name(report.colour))}"
    return f"{report.colour.symbol} {report.colour.value}"


class SmokeScreen(Dialog):
    """Closes with Escape, Enter or the button; the run is already in the audit trail."""

    def __init__(self, report: SmokeReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        verdict = "PASSED" if report.passed else "FAILED"
        name = printable(report.state.ref.function)
        with Vertical(id="dialog", classes="calm" if report.passed else "") as dialog:
            dialog.border_title = Text(f"Smoke test {verdict}: {name} idle {report.colour.value}")
            yield Static(
                Text(
                    f"{tested_label(report)} v{printable(report.version)} · "
                    f"{printable(report.summary)} · recorded for the promotion gate"
                ),
                id="scope",
            )
            with VerticalScroll(id="dialog-body"):
                yield Static(results_table(report), id="results")
                for warning in report.warnings:
                    yield Static(Text(f"⚠ {printable(warning)}", style="bold"), classes="warning")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", compact=True)
