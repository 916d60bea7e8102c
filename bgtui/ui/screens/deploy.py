"""The deploy modal: pick what goes to the idle colour — a version, `$LATEST` or a zip — and why."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet, Select, Static

from bgtui.app.deploy_source import DeployRequest
from bgtui.core.models import ServiceState, VersionInfo
from bgtui.core.plain_text import printable
from bgtui.ui.widgets.plain_toggles import PlainRadioButton
from bgtui.ui.widgets.prompt import Prompt
from bgtui.ui.widgets.steady_input import SteadyInput
from bgtui.ui.widgets.versions import held_by

KINDS = {"src-version": "version", "src-latest": "latest", "src-zip": "zip"}


def version_options(versions: Sequence[VersionInfo], state: ServiceState) -> list[tuple[Text, str]]:
    """`v3  ● green` or `v2  <description>`: the description shown literally, never as markup."""
    options = []
    for info in versions:
        held = held_by(state, info.version) or printable(info.description, limit=40)
        options.append((Text(f"v{printable(info.version)}  {held}".rstrip()), info.version))
    return options


class DeployScreen(ModalScreen[DeployRequest | None]):
    """Only the idle colour moves; the change is reviewed and confirmed on the next modal."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, state: ServiceState, versions: Sequence[VersionInfo]) -> None:
        super().__init__()
        self.state = state
        self.versions = tuple(versions)

    def compose(self) -> ComposeResult:
        idle = self.state.idle_colour
        target = f"{idle.symbol} {idle.value}" if idle else "the idle colour"
        with Vertical(id="dialog", classes="calm") as dialog:
            function = printable(self.state.ref.function)
            dialog.border_title = Text(f"Deploy to idle {target} of {function}")
            yield Static("Production is untouched: the idle alias and the test stage move.")
            with RadioSet(id="source"):
                yield PlainRadioButton("an existing version", id="src-version", value=True)
                yield PlainRadioButton("a new version published from $LATEST", id="src-latest")
                yield PlainRadioButton("a zip file", id="src-zip")
            yield Select(
                version_options(self.versions, self.state),
                prompt="version",
                id="version",
                compact=True,
            )
            yield Prompt(
                SteadyInput(placeholder="path/to/function.zip", id="zip-path", compact=True)
            )
            reason = SteadyInput(placeholder="e.g. CHG-1234", id="reason", compact=True)
            yield Prompt(reason, label="Reason or change ticket")
            yield Static(id="why-disabled")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Review…", id="confirm", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self._show_fields()

    def show_versions(self, versions: Sequence[VersionInfo]) -> None:
        self.versions = tuple(versions)
        self.query_one("#version", Select).set_options(version_options(versions, self.state))

    @property
    def kind(self) -> str:
        pressed = self.query_one("#source", RadioSet).pressed_button
        return KINDS.get(pressed.id or "", "version") if pressed else "version"

    def request(self) -> DeployRequest:
        version = self.query_one("#version", Select).value
        return DeployRequest(
            kind=self.kind,
            reason=self.query_one("#reason", Input).value.strip(),
            version=version if isinstance(version, str) else "",
            zip_path=self.query_one("#zip-path", Input).value,
        )

    @on(RadioSet.Changed, "#source")
    def _show_fields(self) -> None:
        self.query_one("#version").set_class(self.kind != "version", "hidden")
        self.query_one("#zip-path").parent.set_class(self.kind != "zip", "hidden")  # type: ignore[union-attr]

    @on(Button.Pressed, "#confirm")
    def _review(self) -> None:
        request = self.request()
        problem = request.problem()
        if problem:
            self.query_one("#why-disabled", Static).update(Text(printable(problem)))
            return
        self.dismiss(request)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
