"""A yes/no confirmation that needs a word typed first; Escape and the default button mean No."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from bgtui.ui.widgets.prompt import Prompt


class TypedConfirmScreen(ModalScreen[bool]):
    """Dismisses True only after `expected` was typed and the confirm button pressed."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "No, cancel")]

    def __init__(self, title: str, lines: Sequence[str], expected: str, verb: str) -> None:
        super().__init__()
        self.title_text, self.lines, self.expected, self.verb = title, lines, expected, verb

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            yield Static("\n".join(self.lines), id="scope")
            yield Label(f"Type {self.expected} to confirm")
            yield Prompt(Input(placeholder=self.expected, id="typed", compact=True))
            with Horizontal(classes="buttons"):
                yield Button("No, cancel", id="cancel", compact=True)
                yield Button(self.verb, id="confirm", variant="error", disabled=True, compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = event.value.strip() != self.expected

    @on(Input.Submitted, "#typed")
    def _typed_enter(self) -> None:
        if not self.query_one("#confirm", Button).disabled:
            self.dismiss(True)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
