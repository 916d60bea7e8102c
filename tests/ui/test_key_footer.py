"""The footer composes its keys again only when what it shows has changed."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from bgtui.ui.widgets.key_footer import KeyFooter


class FooterHost(App[None]):
    BINDINGS = [Binding("d", "deploy", "Deploy"), Binding("p", "promote", "Promote")]

    def __init__(self) -> None:
        super().__init__()
        self.may_promote = True

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None shows the key disabled (False would hide it).
        return None if action == "promote" and not self.may_promote else True

    def action_deploy(self) -> None: ...

    def action_promote(self) -> None: ...


def keys(app: FooterHost) -> dict[str, FooterKey]:
    return {key.key: key for key in app.query(FooterKey)}


async def test_the_same_bindings_announced_again_keep_the_keys_shown() -> None:
    app = FooterHost()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        before = keys(app)
        assert {"d", "p"} <= set(before)
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert all(keys(app)[key] is widget for key, widget in before.items())


async def test_a_binding_that_changed_is_shown_as_it_is_now() -> None:
    app = FooterHost()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        assert not keys(app)["p"].has_class("-disabled")
        app.may_promote = False
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert keys(app)["p"].has_class("-disabled")
