"""Both scenarios driven through the console with Pilot, on the emulator, with a fast clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from bgtui.app.backend import Backend
from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend
from bgtui.demo.scenarios import Scenario, bad_release, clean_release, demo_package
from bgtui.demo.traffic import TrafficGenerator
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.widgets.bars import WalkthroughBar
from tests.emulator_fixtures import DemoStack
from tests.ui.helpers import settle, shown
from tests.ui.test_keyboard import tab_to


class FastClock:
    """Scenario time, moved on by the test a minute at a time."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def minutes(self, count: int) -> None:
        self.now += timedelta(minutes=count)


@pytest.fixture
def clock() -> FastClock:
    return FastClock()


@pytest.fixture
def backend(demo_stack: DemoStack, tmp_path: Path, clock: FastClock) -> Backend:
    settings = load_settings(
        None,
        env={"XDG_STATE_HOME": str(tmp_path)},
        endpoint_url=demo_stack.endpoint_url,
        region=demo_stack.region,
    )
    return build_backend(settings, clock=clock)


@pytest.fixture
def traffic(demo_stack: DemoStack, clock: FastClock) -> TrafficGenerator:
    generator = TrafficGenerator(
        demo_stack.endpoint_url, demo_stack.region, clock=clock, rng=random.Random(3)
    )
    generator.tick()
    return generator


def console(backend: Backend, clock: FastClock, scenario: Scenario) -> BgtuiApp:
    scenario.setup(backend.operations, demo_package)
    return BgtuiApp(backend, demo=True, clock=clock, refresh_seconds=0, scenario=scenario)


async def refreshed(pilot: Pilot[None]) -> str:
    """Refresh as the timer would; return the training banner."""
    app = pilot.app
    assert isinstance(app, BgtuiApp)
    await settle(pilot, limit_s=30)
    app.refresh_now()
    await settle(pilot, limit_s=30)
    return shown(app.dashboard.query_one(WalkthroughBar))


async def go_on(pilot: Pilot[None]) -> str:
    """The step is seen done and waits for the trainee; `n` moves on. Returns the new banner."""
    waiting = await refreshed(pilot)
    assert "done — press n to go on" in waiting
    assert await refreshed(pilot) == waiting, "a done step moved on without the trainee"
    await pilot.press("n")
    return await refreshed(pilot)


async def smoke_test(pilot: Pilot[None]) -> None:
    await pilot.press("t")
    await settle(pilot, limit_s=30)
    assert isinstance(pilot.app.screen, SmokeScreen)
    await pilot.press("escape")


async def confirm_change(pilot: Pilot[None], key: str, reason: str, function: str) -> ChangeScreen:
    """Open the change, override every failed gate the policy allows, give reasons, confirm."""
    await pilot.press(key)
    await settle(pilot, limit_s=30)
    screen = pilot.app.screen
    assert isinstance(screen, ChangeScreen)
    for gate in screen.overridable:
        await tab_to(pilot, f"override-{gate.name}")
        await pilot.press("space")
    if screen.overridable:
        await tab_to(pilot, "override-reason")
        await pilot.press(*"training override")
    await tab_to(pilot, "reason")
    await pilot.press(*reason)
    await tab_to(pilot, "typed")
    # Enter in the name field moves to the button that names the action; Enter presses it.
    await pilot.press(*function, "enter")
    assert pilot.app.focused is not None and pilot.app.focused.id == "confirm"
    await pilot.press("enter")
    await settle(pilot, limit_s=30)
    return screen


def outcomes(backend: Backend) -> list[tuple[str, str]]:
    return [(r.action, r.outcome) for r in backend.audit.records() if r.phase == "outcome"]


async def test_bad_release_through_the_console(
    backend: Backend, clock: FastClock, traffic: TrafficGenerator
) -> None:
    scenario = bad_release()
    app = console(backend, clock, scenario)
    ref = backend.catalog.find(scenario.function)
    async with app.run_test(size=(100, 32)) as pilot:
        assert "Step 1/4" in await refreshed(pilot)
        assert app.model.selected == scenario.function
        assert backend.catalog.read(ref).idle_alias.version == scenario.candidate_version

        await smoke_test(pilot)
        assert "Step 2/4" in await go_on(pilot)
        assert outcomes(backend)[-1] == ("test", "failed")
        await pilot.press("b")
        assert "Step 1/4" in shown(app.dashboard.query_one(WalkthroughBar))
        assert "Step 2/4" in await go_on(pilot), "the step gone back to is judged again"

        clock.minutes(2)
        traffic.tick()
        screen = await confirm_change(pilot, "p", "CHG-43 training", scenario.function)
        assert {g.name for g in screen.overridable} >= {"smoke-passed"}
        assert "Step 3/4" in await go_on(pilot)
        assert backend.catalog.read(ref).live.version == scenario.candidate_version
        promote = [r for r in backend.audit.records() if r.action == "promote"][-1]
        assert promote.outcome == "ok"
        assert any(g.verdict == "overridden" for g in promote.gates)

        for _ in range(6):
            clock.minutes(1)
            traffic.tick()
            if "done" in await refreshed(pilot):
                break
        assert scenario.step_done, "the live errors alarm never fired"
        assert "Step 4/4" in await go_on(pilot)

        await confirm_change(pilot, "r", "errors after build 43", scenario.function)
        assert "complete" in await go_on(pilot)
        assert scenario.finished
        assert backend.catalog.read(ref).live.version != scenario.candidate_version
        assert outcomes(backend)[-1] == ("rollback", "ok")
        assert backend.audit.verify().ok


async def test_clean_release_through_the_console(
    backend: Backend, clock: FastClock, traffic: TrafficGenerator
) -> None:
    scenario = clean_release()
    app = console(backend, clock, scenario)
    ref = backend.catalog.find(scenario.function)
    async with app.run_test(size=(100, 32)) as pilot:
        assert "Step 1/3" in await refreshed(pilot)
        await smoke_test(pilot)
        assert "Step 2/3" in await go_on(pilot)
        assert outcomes(backend)[-1] == ("test", "ok")
        screen = await confirm_change(pilot, "p", "CHG-44 release", scenario.function)
        assert not screen.overridable
        assert "Step 3/3" in await go_on(pilot)
        assert "complete" in await go_on(pilot)
        assert backend.catalog.read(ref).live.version == scenario.candidate_version
        assert outcomes(backend)[-1] == ("promote", "ok")
        assert backend.audit.verify().ok
