"""The keys and the legend of every glyph, for an operator who has not used the console before."""

from __future__ import annotations

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

KEYS = (
    ("p", "promote: the idle colour becomes live (typed confirmation)"),
    ("r", "rollback: live goes back to the previous colour and version"),
    ("d", "deploy a version, $LATEST or a zip to the idle colour"),
    ("t", "test the idle colour (smoke checks; feeds the promote gate)"),
    ("a", "audit history and chain verification"),
    ("f", "terraform: plan, workspaces, apply"),
    ("c / enter", "large chart of both colours (on a health panel)"),
    ("/", "filter services; escape clears"),
    ("tab", "move between the list, the panels and the versions"),
    ("ctrl+p", "command palette: every action by name"),
    ("ctrl+r", "reload: renewed AWS credentials, then every read again"),
    ("?", "this help"),
    ("q", "quit"),
)
LEGEND = (
    ("LIVE ◆ blue v7", "blue (◆) takes production traffic at version 7"),
    ("idle ● green v8", "green (●) is idle: the test stage points at it"),
    ("✔ ! ✖ ⚠ ?", "ok · idle alarm · live alarm or unreadable · problem · no data"),
    (
        "▁▃▅·┊▂",
        "per-minute sparkline: · no data (never drawn as zero), ┊ then still-filling minutes",
    ),
    ("NO DATA", "alarm state INSUFFICIENT_DATA"),
    ("STALE", "the last refresh failed; the data shown is the last good one"),
    ("CREDENTIALS EXPIRED", "renew them (aws sso login), then ctrl+r; the last data stays"),
)


def pairs_table(rows: tuple[tuple[str, str], ...], title: str) -> Table:
    table = Table(title=title, title_justify="left", box=None, show_header=False, expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for key, text in rows:
        table.add_row(key, text)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys first, then what each glyph and word on the dashboard means."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "close", "Close"), Binding("question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="calm") as dialog:
            dialog.border_title = "bgtui keys"
            with VerticalScroll(id="dialog-body"):
                yield Static(pairs_table(KEYS, "Keys"))
                yield Static(pairs_table(LEGEND, "Legend"))
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
