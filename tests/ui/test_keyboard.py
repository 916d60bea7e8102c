"""Keyboard only, tiny terminals, and the training walkthrough banner."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from textual.pilot import Pilot

from bgtui.app.backend import Backend
from bgtui.core.operations import BlueGreen
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.widgets.bars import WalkthroughBar
from tests.ui.fake_backend import NOW, MetricsFakeAws
from tests.ui.helpers import notifications, outcomes, settle, shown


async def tab_to(pilot: Pilot[None], widget_id: str, limit: int = 20) -> None:
    for _ in range(limit):
        focused = pilot.app.focused
        if focused is not None and focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def test_override_and_confirm_with_the_keyboard_alone(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape", "p")
        await settle(pilot)
        assert isinstance(app.screen, ChangeScreen)
        for gate in ("smoke-passed", "idle-alarms"):
            await tab_to(pilot, f"override-{gate}")
            await pilot.press("space")
        await tab_to(pilot, "override-reason")
        await pilot.press(*"hotfix")
        await tab_to(pilot, "reason")
        await pilot.press(*"CHG-8")
        await tab_to(pilot, "typed")
        # Enter in the name field moves to the button; Enter on the button promotes.
        await pilot.press(*"ledger-writer", "enter", "enter")
        await settle(pilot)
        assert aws.functions["ledger-writer"].aliases["live"].version == "3"


@pytest.mark.parametrize("size", [(20, 6), (40, 10), (80, 24), (200, 60)])
async def test_any_terminal_size_renders_without_error(
    backend: Backend, size: tuple[int, int]
) -> None:
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("escape", "c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert not [n for n in notifications(app) if n.startswith("Unexpected")]


@dataclass
class ScriptedWalkthrough:
    """Two steps: done once the function has been smoke-tested."""

    function: str = "payments-api"
    index: int = 0
    seen: list[int] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.index >= 2

    def banner(self) -> str:
        return "complete" if self.finished else f"Step {self.index + 1}/2 · press t"

    def advance(self, operations: BlueGreen) -> bool:
        tested = any(r.action == "test" for r in operations.audit.records())
        self.seen.append(len(operations.audit.records()))
        if tested and self.index == 0:
            self.index = 1
            return True
        return False


async def test_walkthrough_shows_its_step_and_moves_on(backend: Backend) -> None:
    walkthrough = ScriptedWalkthrough()
    app = BgtuiApp(backend, demo=True, clock=lambda: NOW, refresh_seconds=0, scenario=walkthrough)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.dashboard.query_one(WalkthroughBar)
        assert "TRAINING" in shown(bar) and "Step 1/2" in shown(bar)
        assert app.model.selected == "payments-api"
        await pilot.press("t")
        await settle(pilot)
        assert "Step 2/2" in shown(bar)
        assert any("Step done" in line for line in outcomes(app))
