"""The keys and the legend of every glyph, for an operator who has not used the console before."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from bgtui.ui.screens.dialog import Dialog

KEYS = (
    ("p · o", "promote: idle goes live (typed) · o: approve a request"),
    ("r", "rollback: back to the previous live colour and version"),
    ("d", "deploy a version, $LATEST or a zip to the idle colour"),
    ("t", "test the idle colour (smoke checks for the promote gate)"),
    ("a", "audit history and chain verification"),
    ("f", "terraform: plan, workspaces, apply"),
    ("c / enter", "large chart of both colours (enter on a colour panel)"),
    ("l", "logs of the colour in focus, else live; both at 160 columns"),
    ("x", "switch context: account, region(s), environment"),
    ("/ · ↑ ↓ · tab", "filter (escape clears) · a service · the colour panels"),
    ("ctrl+p · ctrl+r", "palette: every action by name · reload credentials"),
    ("in a dialog", "tab: next · space: tick · enter: on · escape: no"),
    ("? · q", "this help (the footer shows the main keys) · quit"),
)
KEY_WIDTH = 16
LEGEND = (
    ("LIVE ◆ blue v7", "blue (◆) takes production traffic at version 7"),
    ("idle ● green v8", "green (●) is idle: the test stage points at it"),
    ("✔ ! ✖ ⚠ ?", "ok · idle alarm · live alarm/unread · problem · no data"),
    ("▁▃▅·┊▂", "per minute: · no data (not 0), right of ┊ still filling"),
    ("API prod", "the stage's own figures, whichever colour answered"),
    ("NO DATA · STALE", "alarm INSUFFICIENT_DATA · refresh failed, last data kept"),
    ("CREDENTIALS", "EXPIRED: renew (aws sso login), then ctrl+r; data stays"),
)


def pairs_table(rows: tuple[tuple[str, str], ...], title: str) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        box=None,
        show_header=False,
        expand=True,
        padding=(0, 0),
    )
    table.add_column(style="bold", no_wrap=True, width=KEY_WIDTH)
    table.add_column(ratio=1)
    for key, text in rows:
        table.add_row(key, text)
    return table


class HelpScreen(Dialog):
    """Keys first, then what each glyph and word on the dashboard means."""

    BINDINGS = [Binding("question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="calm help") as dialog:
            dialog.border_title = "bgtui keys"
            dialog.border_subtitle = "escape or ? closes"
            with VerticalScroll(id="dialog-body", can_focus=False):
                yield Static(pairs_table(KEYS, "Keys"), id="keys")
                yield Static(pairs_table(LEGEND, "Legend"), id="legend")
