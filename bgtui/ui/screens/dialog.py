"""The base of the dialogs that only inform: escape or their close button closes them."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button


class Dialog(ModalScreen[None]):
    """Escape closes; a button with id `close`, when there is one, has the focus and closes too."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "close", "Close")]

    def on_mount(self) -> None:
        found = self.query("#close")
        if found:
            found.first().focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
