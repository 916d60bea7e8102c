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
from bgtui.core.policy import Policy
from bgtui.ui.review import blocked_reason, overridable_failures, revise
from bgtui.ui.widgets.plain_toggles import PlainCheckbox
from bgtui.ui.widgets.prompt import Prompt

VERBS = {Action.PROMOTE: "Promote", Action.ROLLBACK: "Roll back", Action.DEPLOY: "Deploy"}


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
        table.add_row(what, before, "→", after)
    return table


def gate_verdict(gate: GateResult) -> Text:
    styles = {"pass": "", "FAIL": "bold reverse", "overridden": "bold"}
    return Text(gate.verdict, style=styles.get(gate.verdict, ""))


def gates_text(change: Change) -> Text:
    """One line per gate: name, verdict as a word, detail (plain text: cheap to redraw per key)."""
    width = max((len(g.name) for g in change.gates), default=0)
    text = Text()
    for gate in change.gates:
        if text:
            text.append("\n")
        text.append(f" {gate.name.ljust(width)}  ")
        text.append_text(gate_verdict(gate))
        text.append(" " * (11 - len(gate.verdict)))
        override = f" (override: {gate.override_reason})" if gate.override_reason else ""
        text.append(gate.detail + override)
    return text


def scope_line(change: Change) -> str:
    ref = change.state.ref
    where = "PRODUCTION" if ref.production else f"environment {ref.environment or '?'}"
    if change.action is Action.DEPLOY:
        return f"{where} · only the idle colour and the test stage move; production is untouched"
    return f"{where} · ALL live traffic moves at once"


class ChangeScreen(ModalScreen[Confirmed | None]):
    """Defaults to No: focus starts on Cancel and Escape cancels."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "No, cancel")]

    def __init__(self, prepared: Change, policy: Policy) -> None:
        super().__init__()
        self.prepared = prepared
        self.policy = policy
        self.overridable = overridable_failures(prepared, policy)
        self._shown_gates = Text()

    def compose(self) -> ComposeResult:
        change = self.prepared
        verb = VERBS.get(change.action, change.action.value)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"{verb} {change.function}?"
            yield Static(scope_line(change), id="scope")
            with VerticalScroll(id="dialog-body"):
                yield Static(before_after_table(change), id="before-after")
                yield Static(id="gates")
                yield from self._override_fields()
                yield Label("Reason or change ticket (recorded in the audit trail)")
                yield Prompt(
                    Input(change.reason, placeholder="e.g. CHG-1234", id="reason", compact=True)
                )
                if change.typed_confirmation:
                    yield Label(f"Type {change.confirmation_text} to confirm")
                    yield Prompt(
                        Input(placeholder=change.confirmation_text, id="typed", compact=True)
                    )
            yield Static(id="why-disabled")
            with Horizontal(classes="buttons"):
                yield Button("No, cancel", id="cancel", compact=True)
                yield Button(verb, id="confirm", variant="error", disabled=True, compact=True)

    def _override_fields(self) -> ComposeResult:
        for gate in self.overridable:
            yield PlainCheckbox(f"override {gate.name}", id=f"override-{gate.name}", compact=True)
        if self.overridable:
            why = Input(placeholder="why override (audited)", id="override-reason", compact=True)
            yield Prompt(why, classes="hidden")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
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
            self.query_one("#override-reason").parent.set_class(not any_ticked, "hidden")  # type: ignore[union-attr]
        change = self.current()
        gates = gates_text(change)
        if gates != self._shown_gates:
            self._shown_gates = gates
            self.query_one("#gates", Static).update(gates)
        why = blocked_reason(change, self.typed)
        self.query_one("#confirm", Button).disabled = bool(why)
        self.query_one("#why-disabled", Static).update(
            why or "ready: nothing changes until you press the button"
        )

    @on(Input.Submitted, "#typed")
    def _typed_enter(self) -> None:
        if not self.query_one("#confirm", Button).disabled:
            self._confirm()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        change = self.current()
        if blocked_reason(change, self.typed):
            return
        self.dismiss(Confirmed(change, self.typed))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
