"""The confirmation form in the order of thinking, every stop visible, Enter never a yes."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label
from textual.widgets._toast import Toast

from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from tests.ui.fake_backend import MetricsFakeAws
from tests.ui.helpers import outcomes, region_text, select_service, settle, shown


async def open_promote(pilot, smoke: bool = True) -> ChangeScreen:  # type: ignore[no-untyped-def]
    if smoke:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChangeScreen)
    return screen


async def focus_stops(pilot, limit: int = 12) -> list[Widget]:  # type: ignore[no-untyped-def]
    """Every widget Tab stops on, from where focus is now, once round."""
    app = pilot.app
    stops: list[Widget] = []
    for _ in range(limit):
        focused = app.focused
        assert focused is not None, "Tab stopped on nothing"
        if focused in stops:
            return stops
        stops.append(focused)
        await pilot.press("tab")
    raise AssertionError("Tab never came round")


def label_of(widget: Widget) -> str:
    """The words in front of a field, or on a box or button, that say what it is."""
    if isinstance(widget, Input):
        labels = [c for c in widget.parent.children if isinstance(c, Label)]  # type: ignore[union-attr]
        return " ".join(shown(label) for label in labels)
    if isinstance(widget, Checkbox):
        return str(widget.label)
    if isinstance(widget, Button):
        return str(widget.label)
    return ""


async def test_the_form_reads_in_the_order_of_thinking(app: BgtuiApp) -> None:
    """Reason first (focused), overrides with labels, the name, then the buttons; no
    invisible stop, and each stop says what it is."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_promote(pilot)  # ledger-writer: its broken candidate fails gates
        assert app.focused is not None and app.focused.id == "reason"
        await pilot.click("#override-smoke-passed")
        screen.query_one("#reason", Input).focus()
        await pilot.pause()
        stops = await focus_stops(pilot)
        assert [w.id for w in stops] == [
            "reason",
            "override-smoke-passed",
            "override-idle-alarms",
            "override-reason",
            "typed",
            "cancel",
        ], "the confirm button joins the stops once it is enabled"
        for widget in stops:
            assert isinstance(widget, Input | Checkbox | Button), (
                f"{widget} is a stop you cannot see"
            )
            assert widget.region.area > 0, f"{widget.id} is off screen"
            assert label_of(widget), f"{widget.id} has no label"
        assert "Why override" in label_of(screen.query_one("#override-reason"))
        hint = " ".join(shown(label) for label in screen.query(".hint"))
        assert "Space ticks" in hint and "Tab" in hint


async def test_the_why_override_field_opens_only_with_a_box_ticked(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_promote(pilot)
        why = screen.query_one("#override-reason", Input)
        assert why.disabled and why.region.area > 0, "shown, labelled, closed until a tick"
        await pilot.click("#override-idle-alarms")
        assert not why.disabled


async def test_the_text_says_what_enter_does(app: BgtuiApp, aws: MetricsFakeAws) -> None:
    """Ready, the form says nothing changes until the button; Enter in the name field then
    moves to that button, which names the action."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        screen = await open_promote(pilot)
        await pilot.press(*"CHG-7", "tab", *"payments-api")
        ready = shown(screen.query_one("#why-disabled"))
        assert ready.startswith("ready: nothing changes until you press Promote")
        await pilot.press("enter")
        confirm = screen.query_one("#confirm", Button)
        assert app.focused is confirm and str(confirm.label) == "Promote payments-api"
        assert "lambda:UpdateAlias" not in aws.calls
        await pilot.press("enter")
        await settle(pilot)
        assert aws.functions["payments-api"].aliases["live"].version == "3"


async def test_outcomes_go_to_the_log_line_and_no_toast_covers_a_dialog(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = await open_promote(pilot)
        buttons = [screen.query_one("#cancel"), screen.query_one("#confirm")]
        blocked = screen.query_one("#why-disabled")
        for index in range(4):
            app.notify(f"refresh failed {index}", title="Warning", severity="warning")
            app.notify(f"something broke {index}", title="Error", severity="error")
        await pilot.pause(0.1)
        toasts = [t for t in screen.query(Toast) if t.display and t.region.area]
        for toast in toasts:
            for control in [*buttons, blocked]:
                assert not toast.region.overlaps(control.region), f"a toast covers {control}"
        assert not toasts
        await pilot.press("escape")
        await settle(pilot)
        assert any("nothing was changed" in line for line in outcomes(app))
        await select_service(pilot, "payments-api")
        screen = await open_promote(pilot)
        await pilot.press(*"CHG-8", "tab", *"payments-api", "enter", "enter")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert "live is now green v3" in outcomes(app)[-1]
        assert not [n for n in app._notifications if "live is now" in n.message]
        outcome = app.dashboard.query_one("#outcome")
        assert "Promote payments-api: done" in shown(outcome)
        for index in range(3):
            app.notify(f"metrics refresh failed {index}", title="Warning", severity="warning")
        await pilot.pause(0.1)
        visible = [t for t in app.dashboard.query(Toast) if t.display and t.region.area]
        assert visible, "on the dashboard a warning is toasted"
        for control in (outcome, app.dashboard.query_one("#status")):
            covering = [t for t in visible if t.region.overlaps(control.region)]
            assert not covering, f"a toast covers {control.id}"
        assert "metrics refresh failed 2" in region_text(app, outcome)[0]


async def test_a_wrapped_gate_detail_stays_in_its_column(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_promote(pilot)  # ledger-writer: the smoke gate's detail is long
        rows = region_text(app, screen.query_one("#gates"))
        first = next(i for i, row in enumerate(rows) if "smoke-passed" in row)
        column = rows[first].index("smoke FAILED")
        continuation = rows[first + 1]
        assert continuation[:column].strip() == "", f"wrapped to column 0: {continuation!r}"
        assert continuation[column:].strip().startswith("passed")
