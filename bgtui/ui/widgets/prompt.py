"""A one-line input with a `>` in front, so where to type shows on a monochrome terminal too."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label


class Prompt(Horizontal):
    """Wraps a compact Input; the Input keeps its id, so it is queried as before.

    With a `label`, the label sits on the same line, in front: the field says what it is for.
    """

    DEFAULT_CSS = """
    Prompt { height: 1; margin-left: 1; }
    Prompt > .prompt-label { width: auto; margin-right: 1; text-style: bold; }
    Prompt > .prompt-mark { width: 2; text-style: bold; }
    Prompt > Input { width: 1fr; }
    """

    def __init__(self, field: Input, *, label: str = "", classes: str = "") -> None:
        super().__init__(classes=classes)
        self.field = field
        self.label = label

    def compose(self) -> ComposeResult:
        if self.label:
            yield Label(self.label, markup=False, classes="prompt-label")
        yield Label(">", classes="prompt-mark")
        yield self.field
