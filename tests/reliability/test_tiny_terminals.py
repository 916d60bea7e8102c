"""The console in terminals far smaller than 80x24, and resized while it runs: every key still
answers, nothing crashes, no traceback reaches the screen."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from bgtui.ui.app import BgtuiApp
from tests.ui.fake_backend import NOW, demo_aws, fake_backend
from tests.ui.fake_terraform import FakeTerraform
from tests.ui.helpers import settle

# Every screen the dashboard opens at the smallest size; those that size themselves to the
# terminal (the change form, the chart) again when resized.
VISITS = (
    ((20, 6), ("t", "p", "r", "d", "a", "c", "f", "question_mark", "slash")),
    ((40, 10), ("p", "c")),
)


def console(tmp_path: Path) -> BgtuiApp:
    runner = FakeTerraform()
    backend = fake_backend(demo_aws(), tmp_path)
    return BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, terraform=lambda: runner)


async def visit(pilot: Pilot[None], size: tuple[int, int], keys: tuple[str, ...]) -> None:
    """Open each screen with its key and close it with Escape."""
    app = pilot.app
    assert isinstance(app, BgtuiApp)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
        assert app.is_running, f"{key} at {size} ended the console"
        assert "Traceback" not in app.export_screenshot(), (key, size)
        await pilot.press("escape")
        await settle(pilot)
    assert app.screen is app.dashboard, size


async def test_every_screen_opens_and_closes_in_tiny_and_resized_terminals(
    tmp_path: Path,
) -> None:
    app = console(tmp_path)
    async with app.run_test(size=VISITS[0][0]) as pilot:
        await settle(pilot)
        for size, keys in VISITS:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            await visit(pilot, size, keys)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "ledger-writer" in app.export_screenshot(), "back at 80x24 the services show"
    assert app.return_code in (None, 0)
