"""Two-person promote dialogs: a request's who, what, why and gates, and the reason typed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from bgtui.core.plain_text import printable
from bgtui.ui.screens.dialog import Dialog
from bgtui.ui.widgets.prompt import Prompt
from bgtui.ui.widgets.steady_input import SteadyInput


class ApproveScreen(Dialog):
    """Its answer is `reason`: what was typed once the button that names the act was pressed.

    Approving a request, or asking for one (`verb`). Focus starts in the reason; Enter moves to
    that button once a reason is typed, and only a press of it acts. Escape or "No, cancel"
    leave `reason` None: nothing is written.
    """

    def __init__(
        self,
        function: str,
        lines: Sequence[str],
        gates: Sequence[str],
        verb: str = "Approve",
        title: str = "",
    ) -> None:
        super().__init__()
        self.function, self.lines, self.gates, self.verb = function, lines, gates, verb
        self.title_text = title or f"Approve the promote of {function}?"
        self.reason: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Text(printable(self.title_text))
            yield Static(Text(printable(self.lines[0])), id="scope")
            with VerticalScroll(id="dialog-body", can_focus=False):
                body = [*self.lines[1:], "gates:", *(f"  {line}" for line in self.gates)]
                yield Static(Text(printable("\n".join(body), lines=True)), id="request")
                reason = SteadyInput(placeholder="e.g. CHG-1234", id="reason", compact=True)
                yield Prompt(reason, label="Your reason (audited)")
            with Horizontal(classes="buttons"):
                # Not `close`: the base would focus it, and the reason is where typing goes.
                yield Button("No, cancel", id="cancel", compact=True)
                label = f"{self.verb} {printable(self.function)}"
                yield Button(label, id="approve", variant="error", disabled=True, compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Changed, "#reason")
    def _reason_changed(self, event: Input.Changed) -> None:
        self.query_one("#approve", Button).disabled = not event.value.strip()

    @on(Input.Submitted, "#reason")
    def _reason_entered(self) -> None:
        approve = self.query_one("#approve", Button)
        if not approve.disabled:
            approve.focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#approve")
    def _approve(self) -> None:
        self.reason = self.query_one("#reason", Input).value.strip()
        self.dismiss(None)
