"""The modal that asks for the encrypted keyring's passphrase, and only asks.

The caller unlocks in a thread worker (an Argon2 derivation takes about a second) and, on
`WrongPassphrase`, pushes the modal again with the error as `problem`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from bgtui.adapters.keyring.names import MIN_NEW_PASSPHRASE
from bgtui.core.plain_text import printable
from bgtui.ui.widgets.steady_input import SteadyInput


class PassphraseInput(SteadyInput):
    """A masked input whose content never reaches the clipboard (OSC 52 passes the terminal)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(password=True, id=id, compact=True)

    def action_copy(self) -> None:
        self.app.bell()

    def action_cut(self) -> None:
        self.app.bell()


class UnlockKeyring(ModalScreen[str | None]):
    """Enter submits the passphrase, Escape cancels (None); nothing typed is shown or logged."""

    CSS_PATH = "unlock_keyring.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, location: str, *, creating: bool = False, problem: str = "") -> None:
        super().__init__()
        self.location = location
        """Which keyring, e.g. `encrypted file ~/.local/share/bgtui/keyring.cfg`."""
        self.creating = creating
        """The file does not exist yet: the passphrase is chosen here and typed twice."""
        self.problem = problem
        """Why the modal is shown again, e.g. the previous passphrase was wrong."""

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-dialog") as dialog:
            verb = "Create" if self.creating else "Unlock"
            dialog.border_title = f"{verb} the encrypted keyring"
            yield Static(Text(printable(self.location)), id="unlock-location")
            yield Label("Choose a passphrase" if self.creating else "Passphrase")
            yield PassphraseInput(id="passphrase")
            if self.creating:
                yield Label("Type it again")
                yield PassphraseInput(id="passphrase-again")
            yield Static(Text(printable(self.problem)), id="unlock-problem")
            keys = "enter: next, then create" if self.creating else "enter: unlock"
            yield Static(f"{keys} · escape: cancel", id="unlock-keys")

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _first_entered(self) -> None:
        if self.creating:
            self.query_one("#passphrase-again", Input).focus()
        else:
            self._submit()

    @on(Input.Submitted, "#passphrase-again")
    def _submit(self) -> None:
        fields = list(self.query(PassphraseInput).results(PassphraseInput))
        passphrase = fields[0].value
        problem = self._problem_with(passphrase, [f.value for f in fields[1:]])
        for field in fields:
            field.clear()
        if problem:
            self.query_one("#unlock-problem", Static).update(Text(printable(problem)))
            fields[0].focus()
            return
        self.dismiss(passphrase)

    def _problem_with(self, passphrase: str, repeated: list[str]) -> str:
        if not passphrase.strip():
            return "the passphrase must not be blank"
        if self.creating and len(passphrase) < MIN_NEW_PASSPHRASE:
            return f"choose at least {MIN_NEW_PASSPHRASE} characters"
        if any(again != passphrase for again in repeated):
            return "the two passphrases differ: type them again"
        return ""

    def action_cancel(self) -> None:
        for field in self.query(PassphraseInput).results(PassphraseInput):
            field.clear()
        self.dismiss(None)
