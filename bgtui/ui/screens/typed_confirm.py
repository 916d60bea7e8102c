"""A yes/no confirmation that needs a word typed first; Escape and "No, cancel" mean No."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from bgtui.core.plain_text import printable
from bgtui.ui.widgets.prompt import Prompt
from bgtui.ui.widgets.steady_input import SteadyInput


class TypedConfirmScreen(ModalScreen[bool]):
    """Dismisses True only after `expected` was typed and the confirm button pressed."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "No, cancel")]

    def __init__(self, title: str, lines: Sequence[str], expected: str, verb: str) -> None:
        super().__init__()
        self.title_text, self.lines, self.expected, self.verb = title, lines, expected, verb

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Text(printable(self.title_text))
            yield Static(Text("\n".join(printable(line) for line in self.lines)), id="scope")
            typed = SteadyInput(placeholder=self.expected, id="typed", compact=True)
            yield Prompt(typed, label=f"Type {printable(self.expected)} to confirm")
            with Horizontal(classes="buttons"):
                yield Button("No, cancel", id="cancel", compact=True)
                yield Button(self.verb, id="confirm", variant="error", disabled=True, compact=True)

    def on_mount(self) -> None:
        self.query_one("#typed", Input).focus()

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = event.value.strip() != self.expected

    @on(Input.Submitted, "#typed")
    def _typed_enter(self) -> None:
        # Enter moves to the button that names the action; only pressing it confirms.
        confirm = self.query_one("#confirm", Button)
        if not confirm.disabled:
            confirm.focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
