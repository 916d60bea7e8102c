"""A one-line input with a `>` in front, so where to type shows on a monochrome terminal too."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label


class Prompt(Horizontal):
    """Wraps a compact Input; the Input keeps its id, so it is queried as before."""

    DEFAULT_CSS = """
    Prompt { height: 1; margin-left: 1; }
    Prompt > Label { width: 2; text-style: bold; }
    Prompt > Input { width: 1fr; }
    """

    def __init__(self, field: Input, *, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.field = field

    def compose(self) -> ComposeResult:
        yield Label(">")
        yield self.field
