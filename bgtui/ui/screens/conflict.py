"""Why a change was not made: someone else changed the service between review and confirm."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from bgtui.core.change import Change
from bgtui.core.models import AliasState, Colour, ServiceState
from bgtui.core.plain_text import printable
from bgtui.ui.labels import colour_label
from bgtui.ui.screens.dialog import Dialog


def alias_line(name: str, alias: AliasState | None) -> str:
    if alias is None:
        return f"  {name}: missing"
    return f"  {name}: v{printable(alias.version)} (revision {printable(alias.revision_id[:12])})"


def explanation(change: Change, detail: str, now: ServiceState | None) -> Text:
    seen = change.state
    text = Text()
    text.append("Nothing was changed by this console.\n\n", style="bold")
    text.append(f"The {change.action.value} was refused: {printable(detail)}\n\n")
    text.append("What you reviewed:\n", style="bold")
    text.append(_state_lines(seen))
    text.append("\nWhat it is now:\n", style="bold")
    text.append(_state_lines(now) if now else "  could not be read again (see the log line)\n")
    record = now.record if now else None
    if record and record.changed_by:
        # Who swapped is whatever the other console wrote: shown literally.
        by, at = printable(record.changed_by), printable(record.changed_at)
        text.append(f"  last swap by {by} at {at}\n")
    text.append("\nWhat to do: ", style="bold")
    text.append(
        "look at the new state on the dashboard, talk to whoever changed it, and start the "
        f"{change.action.value} again only if it is still needed."
    )
    return text


def _state_lines(state: ServiceState) -> str:
    live = state.live_colour
    lines = [f"  {colour_label(state, live)}" if live else "  no live colour"]
    lines += [alias_line(c.value, state.colour_alias(c)) for c in Colour]
    lines.append(alias_line("live", state.live))
    return "\n".join(lines) + "\n"


class ConflictScreen(Dialog):
    """An explanation, not a traceback: what the operator saw, what is there now, what to do."""

    def __init__(self, change: Change, detail: str, now: ServiceState | None) -> None:
        super().__init__()
        self.change, self.detail, self.now = change, detail, now

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            title = f"Conflict: {printable(self.change.function)} changed under you"
            dialog.border_title = Text(title)
            yield Static(explanation(self.change, self.detail, self.now), id="explanation")
            with Horizontal(classes="buttons"):
                yield Button("Understood", id="close", compact=True)
