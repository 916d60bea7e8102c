"""A footer that shows whole keys only: at 80 columns the secondary ones give way to `? Help`."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FULL_WIDTH = 100
"""From this many columns every key of the screen fits; below, `secondary` keys are left to
the help screen (`?`) and the command palette, so none is cut in half."""


class KeyFooter(Footer):
    """Compact; drops the screen's secondary keys (by action name) when narrow."""

    def __init__(self, secondary: Iterable[str] = ()) -> None:
        super().__init__(compact=True)
        self.secondary = frozenset(secondary)
        self._narrow: bool | None = None
        self._composed: tuple[bool, tuple[tuple[str, str, str, bool, str], ...]] | None = None
        """What the keys shown were composed from: the width class and the screen's bindings."""
        self._recompose_due = False
        """A recompose is asked for and has not composed yet."""

    @property
    def narrow(self) -> bool:
        return self.app.size.width < FULL_WIDTH

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Focus moves and finished workers announce bindings that are often the same: each
        # recompose mounts and styles every key again (a third of the console's first second).
        if screen is self.screen and self._composed == (self.narrow, shown_bindings(screen)):
            self._bindings_ready = True
            return
        if self._recompose_due and screen is self.screen:
            # The recompose already asked for reads the screen's bindings when it runs.
            self._bindings_ready = True
            return
        super().bindings_changed(screen)
        # Footer.bindings_changed asks for a recompose on these conditions.
        self._recompose_due = bool(
            self.app.app_focus and self.is_attached and screen is self.screen
        )

    def compose(self) -> ComposeResult:
        self._recompose_due = False
        narrow = self.narrow
        self._narrow = narrow
        if self._bindings_ready:
            self._composed = (narrow, shown_bindings(self.screen))
        for widget in super().compose():
            if narrow and _action(widget) in self.secondary:
                continue
            if isinstance(widget, FooterKey) and self.compact:
                # What FooterKey's compact watcher adds at mount, added before it: there
                # each key would restyle itself once more (most of a first frame's styling).
                widget.add_class("-compact", update=False)
            yield widget

    def on_resize(self, event: Resize) -> None:
        if self._narrow is not None and self.narrow != self._narrow:
            self.call_after_refresh(self.recompose)


def shown_bindings(screen: Screen[object]) -> tuple[tuple[str, str, str, bool, str], ...]:
    """Everything of the screen's active bindings that the footer shows."""
    return tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip)
        for _, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


def _action(widget: Widget) -> str:
    return widget.action if isinstance(widget, FooterKey) else ""
