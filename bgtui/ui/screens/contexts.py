"""The context switcher: pick a `[[context]]`, its backend is built in a worker, then it is used."""

from __future__ import annotations

from urllib.parse import urlparse

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bgtui.app.backend import Backend
from bgtui.app.context_switch import ContextSwitcher
from bgtui.app.contexts import Context
from bgtui.core.errors import BgtuiError
from bgtui.core.plain_text import printable
from bgtui.core.whereabouts import PRODUCTION_MARK

HINT = "↑ ↓ choose · enter switches (the console reads everything anew) · escape keeps this one"


def context_line(context: Context, current: str) -> Text:
    """One context in words: a production one is marked by word and symbol, like the header."""
    mark = "▶ " if context.name == current else "  "
    text = Text(mark + printable(context.name), style="bold")
    if context.production:
        text.append(f"  {PRODUCTION_MARK}", style="reverse bold")
    details = [context.environment or "environment unlabelled"]
    details.append(", ".join(context.regions) or "the profile's region")
    details.append(f"profile {context.profile}" if context.profile else "default credentials")
    if context.endpoint_url:
        details.append(f"via {urlparse(context.endpoint_url).hostname or '?'}")
    if context.read_only:
        details.append("READ-ONLY")
    text.append("  " + printable(" · ".join(details)))
    return text


class ContextScreen(ModalScreen[Backend | None]):
    """Dismisses with the chosen context's backend, or None when the operator keeps this one."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Keep this context")]

    def __init__(self, switcher: ContextSwitcher, current: str) -> None:
        super().__init__()
        self.switcher, self.current = switcher, current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="calm") as dialog:
            dialog.border_title = "Switch context"
            dialog.border_subtitle = "escape keeps this one"
            options = [
                Option(context_line(c, self.current), id=c.name) for c in self.switcher.contexts
            ]
            yield OptionList(*options, id="contexts")
            yield Static(HINT, id="context-state", markup=False)

    def on_mount(self) -> None:
        names = [c.name for c in self.switcher.contexts]
        options = self.query_one("#contexts", OptionList)
        options.highlighted = names.index(self.current) if self.current in names else 0
        options.focus()

    @on(OptionList.OptionSelected, "#contexts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id or ""
        self.query_one("#contexts", OptionList).disabled = True
        self._say(f"connecting to context {name}…")
        self.build(name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="context")
    def build(self, name: str) -> None:
        try:
            backend = self.switcher.build(name)
        except BgtuiError as error:
            self.app.call_from_thread(self._failed, name, error)
            return
        self.app.call_from_thread(self.dismiss, backend)

    def _failed(self, name: str, error: BgtuiError) -> None:
        self._say(f"✖ context {name}: {error.title}: {error}")
        options = self.query_one("#contexts", OptionList)
        options.disabled = False
        options.focus()

    def _say(self, text: str) -> None:
        self.query_one("#context-state", Static).update(Text(printable(text)))

    def action_cancel(self) -> None:
        self.dismiss(None)
