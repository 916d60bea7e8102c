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


class CountingFooter(KeyFooter):
    def __init__(self) -> None:
        super().__init__()
        self.composed = 0

    def compose(self) -> ComposeResult:
        self.composed += 1
        yield from super().compose()


class CountingHost(FooterHost):
    def compose(self) -> ComposeResult:
        yield CountingFooter()


async def test_changes_announced_before_the_keys_are_composed_again_compose_them_once() -> None:
    app = CountingHost()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(CountingFooter)
        before = footer.composed
        for may_promote in (False, True, False):
            app.may_promote = may_promote
            footer.call_later(footer.bindings_changed, app.screen)
        await pilot.pause()
        await pilot.pause()
        assert footer.composed == before + 1
        shown = keys(app)
        assert shown["p"].has_class("-disabled"), "the keys are those of the last change"
        assert all(key.has_class("-compact") for key in shown.values())
