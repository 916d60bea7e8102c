"""The confirmation of one change: exact before → after, every gate, reason, overrides, typing."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from bgtui.core.change import Action, Change
from bgtui.core.gates import GateResult
from bgtui.core.plain_text import printable
from bgtui.core.policy import Policy
from bgtui.core.whereabouts import Whereabouts
from bgtui.ui.review import blocked_reason, overridable_failures, revise
from bgtui.ui.widgets.plain_toggles import PlainCheckbox
from bgtui.ui.widgets.prompt import Prompt
from bgtui.ui.widgets.steady_input import SteadyInput

VERBS = {Action.PROMOTE: "Promote", Action.ROLLBACK: "Roll back", Action.DEPLOY: "Deploy"}
VERDICT_WIDTH = 10
OVERRIDE_HELP = "Override a failed gate: Tab to its box, Space ticks it, then say why."


@dataclass(frozen=True)
class Confirmed:
    """The operator's yes: the change as finally judged, and what they typed."""

    change: Change
    typed: str


def before_after_table(change: Change) -> Table:
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
    table.add_column("change", style="bold", ratio=3)
    table.add_column("before", ratio=1)
    table.add_column("", width=1)
    table.add_column("after", style="bold", ratio=1)
    for what, before, after in change.before_after():
        table.add_row(Text(printable(what)), Text(printable(before)), "→", Text(printable(after)))
    return table


def gate_verdict(gate: GateResult) -> Text:
    styles = {"pass": "", "FAIL": "bold reverse", "overridden": "bold"}
    return Text(gate.verdict, style=styles.get(gate.verdict, ""))


def gates_table(change: Change) -> Table:
    """One row per gate: name, verdict as a word, detail; a long detail wraps in its column."""
    table = Table(box=None, padding=(0, 1), show_header=False, show_edge=False, expand=True)
    table.add_column("gate", no_wrap=True)
    table.add_column("verdict", no_wrap=True, width=VERDICT_WIDTH)
    table.add_column("detail", ratio=1, overflow="fold")
    for gate in change.gates:
        override = f" (override: {gate.override_reason})" if gate.override_reason else ""
        detail = Text(printable(gate.detail + override))
        table.add_row(Text(printable(gate.name)), gate_verdict(gate), detail)
    return table


def gates_key(change: Change) -> tuple[tuple[str, str, str], ...]:
    """What the gates table shows: it is rebuilt only when this changes (typing is cheap)."""
    return tuple((g.name, g.verdict, g.detail + g.override_reason) for g in change.gates)


def scope_line(change: Change, production: bool | None = None) -> str:
    """`production`: the context's word too (a production context makes any service so)."""
    ref = change.state.ref
    production = ref.production if production is None else production
    where = "PRODUCTION" if production else f"environment {printable(ref.environment or '?')}"
    if change.action is Action.DEPLOY:
        return f"{where} · only the idle colour and the test stage move; production is untouched"
    return f"{where} · ALL live traffic moves at once"


class ChangeScreen(ModalScreen[Confirmed | None]):
    """In the order of thinking: read, give the reason, override, type the name, press the button.

    Focus starts in the reason field. Enter in a field moves to the next one, and from the last
    to the confirm button once it is enabled: only a press of that button, which names the
    action, carries the change out. Escape, or the default "No, cancel", changes nothing.
    """

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "No, cancel")]

    def __init__(self, prepared: Change, policy: Policy, where: Whereabouts | None = None) -> None:
        super().__init__()
        self.prepared = prepared
        self.where = (where or Whereabouts()).for_service(prepared.state.ref)
        """Repeated under the title: the function with its account and environment."""
        self.policy = policy
        self.overridable = overridable_failures(prepared, policy)
        self._shown_gates: tuple[tuple[str, str, str], ...] = ()

    @property
    def verb(self) -> str:
        return VERBS.get(self.prepared.action, self.prepared.action.value)

    def compose(self) -> ComposeResult:
        change = self.prepared
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Text(f"{self.verb} {printable(change.function)}?")
            yield Static(Text(self.where.confirmation_line(printable(change.function))), id="where")
            yield Static(Text(scope_line(change, self.where.production)), id="scope")
            with VerticalScroll(id="dialog-body", can_focus=False):
                yield Static(before_after_table(change), id="before-after")
                yield Static(id="gates")
                reason = SteadyInput(
                    change.reason, placeholder="e.g. CHG-1234", id="reason", compact=True
                )
                yield Prompt(reason, label="Reason or change ticket (audited)")
                yield from self._override_fields()
                if change.typed_confirmation:
                    name = change.confirmation_text
                    typed = SteadyInput(placeholder=name, id="typed", compact=True)
                    yield Prompt(typed, label=f"Type {printable(name)} to confirm")
            yield Static(id="why-disabled")
            with Horizontal(classes="buttons"):
                yield Button("No, cancel", id="cancel", compact=True)
                label = f"{self.verb} {printable(change.function)}"
                yield Button(label, id="confirm", variant="error", disabled=True, compact=True)

    def _override_fields(self) -> ComposeResult:
        if not self.overridable:
            return
        yield Label(OVERRIDE_HELP, markup=False, classes="hint")
        for gate in self.overridable:
            label = f"override {gate.name}"
            yield PlainCheckbox(label, id=f"override-{gate.name}", compact=True)
        why = SteadyInput(placeholder="tick a box first", id="override-reason", compact=True)
        why.disabled = True
        yield Prompt(why, label="Why override (audited)")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()
        self._judge()

    @property
    def typed(self) -> str:
        found = self.query("#typed")
        return found.first(Input).value if found else self.prepared.confirmation_text

    def current(self) -> Change:
        """The prepared change judged on what the operator has entered so far."""
        reason = self.query_one("#reason", Input).value
        return revise(self.prepared, reason, self._overrides(), self.policy)

    def _overrides(self) -> dict[str, str]:
        if not self.overridable:
            return {}
        why = self.query_one("#override-reason", Input).value.strip()
        ticked = [g.name for g in self.overridable if self._ticked(g.name)]
        return {name: why for name in ticked if why}

    def _ticked(self, gate: str) -> bool:
        return self.query_one(f"#override-{gate}", Checkbox).value

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _judge(self) -> None:
        if self.overridable:
            any_ticked = any(self._ticked(g.name) for g in self.overridable)
            why = self.query_one("#override-reason", Input)
            why.disabled = not any_ticked
            why.placeholder = "e.g. tested by hand" if any_ticked else "tick a box first"
        change = self.current()
        key = gates_key(change)
        if key != self._shown_gates:
            self._shown_gates = key
            self.query_one("#gates", Static).update(gates_table(change))
        why_blocked = blocked_reason(change, self.typed)
        self.query_one("#confirm", Button).disabled = bool(why_blocked)
        ready = f"ready: nothing changes until you press {self.verb} (Tab to it, then Enter)"
        self.query_one("#why-disabled", Static).update(Text(why_blocked or ready))

    @on(Input.Submitted)
    def _next_stop(self, event: Input.Submitted) -> None:
        """Enter never confirms from a text field: it moves on, to the button at the end."""
        event.stop()
        fields = [f for f in self.query(Input) if not f.disabled]
        last = fields[-1] if fields else None
        if event.input is not last:
            self.focus_next()
            return
        confirm = self.query_one("#confirm", Button)
        if not confirm.disabled:
            confirm.focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        change = self.current()
        if blocked_reason(change, self.typed):
            return
        self.dismiss(Confirmed(change, self.typed))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
