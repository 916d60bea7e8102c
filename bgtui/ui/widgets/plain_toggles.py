"""A checkbox and a radio button whose state reads without colour: `[x]`/`[ ]`, `(•)`/`( )`."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class PlainCheckbox(Checkbox):
    """Textual's checkbox shows its state by hue alone; this one also by a mark."""

    @property
    def _button(self) -> Content:
        return Content.styled("[x]" if self.value else "[ ]", "bold" if self.value else "")


class PlainRadioButton(RadioButton):
    """Textual's radio button shows its state by hue alone; this one also by a mark."""

    @property
    def _button(self) -> Content:
        return Content.styled("(•)" if self.value else "( )", "bold" if self.value else "")
