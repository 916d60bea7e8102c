"""Keys as an operator sends them: bursts act on what is shown, none leaks past a dialog."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot

from bgtui.core.change import Action
from bgtui.core.models import AliasState, Colour, LiveRecord
from bgtui.ui.app import BgtuiApp
from bgtui.ui.messages import VersionsRead
from bgtui.ui.screens.audit import AuditScreen
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.chart import ChartScreen
from bgtui.ui.screens.deploy import DeployScreen
from bgtui.ui.screens.help import HelpScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.screens.terraform import TerraformScreen
from bgtui.ui.widgets.services import ServiceList
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.fake_terraform import FakeTerraform
from tests.ui.helpers import notifications, settle


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Keys queued all at once, as SSH delivers them: none waits for the previous one's effects."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]


class SlowAws(MetricsFakeAws):
    """Reads of aliases wait while `slow` is set: AWS answering in its own time."""

    def __init__(self) -> None:
        super().__init__()
        self.answer = threading.Event()
        self.answer.set()

    def list_aliases(self, function: str) -> dict[str, AliasState]:
        assert self.answer.wait(10), "the test never let AWS answer"
        return super().list_aliases(function)


def three_services(tmp_path: Path, aws: MetricsFakeAws | None = None) -> BgtuiApp:
    """ledger-writer, orders-api, payments-api: two Downs from the top reach payments-api."""
    aws = demo_aws(aws)
    aws.add_service("orders-api")
    runner = FakeTerraform()
    backend = fake_backend(aws, tmp_path)
    return BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, terraform=lambda: runner)


def screens_opened(app: BgtuiApp) -> list[type[object]]:
    """Records the type of every screen the console pushes from now on."""
    opened: list[type[object]] = []
    push = app.push_screen

    def recording(screen: object, *args: Any, **kwargs: Any) -> Any:
        opened.append(type(screen))
        if isinstance(screen, ChartScreen):
            # A chart follows the selection once open: what it opened on is the key's target.
            screen.opened_for = screen.state.ref.function  # type: ignore[attr-defined]
        return push(screen, *args, **kwargs)  # type: ignore[arg-type]

    app.push_screen = recording  # type: ignore[method-assign]
    return opened


def acted_on(app: BgtuiApp, key: str) -> str:
    """The function the screen opened by `key` is about."""
    screen = app.screen
    if key in ("p", "r"):
        assert isinstance(screen, ChangeScreen), screen
        assert screen.prepared.action is (Action.PROMOTE if key == "p" else Action.ROLLBACK)
        return screen.prepared.function
    if key == "d":
        assert isinstance(screen, DeployScreen), screen
        return screen.state.ref.function
    if key == "t":
        assert isinstance(screen, SmokeScreen), screen
        tests = [r for r in app.backend.audit.records() if r.action == "test"]
        assert [r.function for r in tests] == [screen.report.state.ref.function]
        return screen.report.state.ref.function
    assert isinstance(screen, ChartScreen), screen
    return screen.opened_for  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("key", ["p", "r", "d", "t", "c"])
async def test_a_burst_of_keys_acts_on_the_service_shown(tmp_path: Path, key: str) -> None:
    app = three_services(tmp_path)
    screens_opened(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.model.selected == "ledger-writer"
        burst(pilot, "down", "down", key)
        await settle(pilot)
        assert acted_on(app, key) == "payments-api"
        await pilot.press("escape")
        await settle(pilot)
        assert app.model.selected == "payments-api", "the dashboard shows what was acted on"


async def test_a_selection_message_left_behind_by_a_burst_does_not_move_the_selection(
    tmp_path: Path,
) -> None:
    """The list's message for a row the cursor has since left (queued behind an action key that
    already selected the row under the cursor) leaves the selection on the row shown."""
    app = three_services(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        assert app.model.selected == "payments-api"
        app.dashboard.query_one(ServiceList).post_message(ServiceList.Selected("orders-api"))
        await settle(pilot)
        assert app.model.selected == "payments-api"
        assert app.dashboard.highlighted == "payments-api"


@pytest.mark.parametrize("opener", ["p", "t"])
async def test_keys_typed_before_a_dialog_opens_stay_off_the_dashboard(
    tmp_path: Path, opener: str
) -> None:
    """`a`, `c`, `f`, `?`, `/`, ctrl+p and `q` right behind the key that opens a dialog do nothing,
    however long AWS takes to answer the read the dialog waits for."""
    aws = SlowAws()
    app = three_services(tmp_path, aws)
    opened = screens_opened(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        aws.answer.clear()
        burst(pilot, opener, "a", "c", "f", "question_mark", "slash", "down", "q")
        for _ in range(30):
            await pilot.pause(0.01)
        # ctrl+p is a priority key (handled as it arrives): pressed while the console waits.
        await pilot.press("ctrl+p")
        aws.answer.set()
        await settle(pilot)
        assert app.is_running
        for leaked in (AuditScreen, ChartScreen, TerraformScreen, HelpScreen, CommandPalette):
            assert leaked not in opened, f"{leaked.__name__} opened by a key meant for the dialog"
        assert isinstance(app.screen, ChangeScreen if opener == "p" else SmokeScreen)
        assert app.model.selected == "ledger-writer"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert app.model.selected == "ledger-writer", "the Down went to the dialog, not the list"


async def test_a_colour_that_changed_role_is_a_conflict_not_a_test_of_the_other(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    """The dashboard shows green idle; another operator swaps before `t` is handled."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fn = aws.functions["ledger-writer"]
        record = LiveRecord(Colour.GREEN).to_description()
        fn.aliases["live"] = AliasState("live", "3", "rev-x", record)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert not [r for r in app.backend.audit.records() if r.action == "test"]
        assert any("green is not idle any more" in n for n in notifications(app))
        assert "lambda:InvokeFunction" not in aws.calls


async def test_the_promote_carries_the_colour_shown(app: BgtuiApp, aws: MetricsFakeAws) -> None:
    """Promote of the green shown idle: refused as a conflict when green went live meanwhile."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fn = aws.functions["ledger-writer"]
        record = LiveRecord(Colour.GREEN).to_description()
        fn.aliases["live"] = AliasState("live", "3", "rev-y", record)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert ("promote", "conflict") in [
            (r.action, r.outcome) for r in app.backend.audit.records()
        ]
        assert any(n.startswith("Conflict") for n in notifications(app))


async def test_an_answer_that_arrives_as_the_console_closes_is_dropped(tmp_path: Path) -> None:
    """`q` while a read is out: its answer lands after the last screen has gone, and the
    console closes without an error instead of showing it."""
    app = three_services(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        versions = app.model.versions["ledger-writer"]
    app.on_versions_read(VersionsRead("ledger-writer", versions))
    assert app.model.versions["ledger-writer"] == versions
