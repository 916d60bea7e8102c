"""Work between a key and the dialog or outcome it leads to; it holds the keyboard meanwhile."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import LoadingIndicator, Static

from bgtui.core.plain_text import printable
from bgtui.ui.screens.dialog import Dialog


class WorkingScreen(Dialog):
    """Opened as the key is handled, so keys typed before the next dialog takes focus land here
    (and are dropped) rather than on the dashboard. Escape stops waiting; `after_escape` says
    what then happens to the work."""

    BINDINGS = [Binding("escape", "close", "Stop waiting")]

    def __init__(self, doing: str, after_escape: str) -> None:
        super().__init__()
        self.doing = doing
        self.after_escape = after_escape

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="calm working") as dialog:
            dialog.border_title = "Working"
            yield Static(Text(f"⟳ {printable(self.doing)}"), id="scope")
            yield LoadingIndicator()
            yield Static(Text(f"escape: {self.after_escape}", style="dim"))
