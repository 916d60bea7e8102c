"""An input whose cursor does not blink: over SSH a blinking cursor repaints twice a second."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input


class SteadyInput(Input):
    """Textual's Input with a steady cursor (every frame the same, so nothing to resend)."""

    cursor_blink = reactive(False, init=False)
