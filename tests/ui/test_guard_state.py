"""The console says, in words, who rolls a watched service back: a guard in AWS or only itself."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bgtui.ui.app import BgtuiApp
from bgtui.ui.widgets.watch_panel import WatchPanel
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws
from tests.ui.helpers import select_service, settle, shown
from tests.ui.test_watch_console import promoted_with_watch


def row_of(app: BgtuiApp, function: str) -> str:
    table = app.dashboard.query_one("#service-table")
    lines = [table.render_line(y).text for y in range(1, 4)]
    return next(line for line in lines if function in line)


async def run_watch(aws: MetricsFakeAws, tmp_path: Path, minutes: int) -> tuple[str, str, bool]:
    """The payments-api watch panel text, its row, and whether the panel is open."""
    backend = promoted_with_watch(aws, tmp_path, "payments-api")
    clock = lambda: NOW + timedelta(minutes=minutes)  # noqa: E731
    app = BgtuiApp(backend, demo=True, clock=clock, refresh_seconds=0)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await settle(pilot)
        panel = app.dashboard.query_one(WatchPanel)
        return shown(panel), row_of(app, "payments-api"), panel.has_class("-open")


async def test_a_guarded_service_says_it_is_guarded_by_aws_until_the_window_ends(
    tmp_path: Path,
) -> None:
    aws = demo_aws()
    aws.functions["payments-api"].tags["bluegreen:guard"] = "on"
    text, row, opened = await run_watch(aws, tmp_path, minutes=4)
    assert opened
    assert text.splitlines()[1].strip() == (
        "guarded by AWS until 03:10Z: its guard rolls back if this console closes"
    )
    assert "console only" not in text
    assert "guarded 10m" in row and "watch 10m" not in row


async def test_an_unguarded_service_says_only_this_console_watches_it(tmp_path: Path) -> None:
    text, row, _ = await run_watch(demo_aws(), tmp_path, minutes=4)
    assert text.splitlines()[1].strip() == (
        "watched by this console only · until 03:10Z: closing it ends the watch"
    )
    assert "guarded" not in text
    assert "watch 10m" in row and "guarded" not in row


async def test_when_the_window_has_closed_nobody_claims_to_watch(tmp_path: Path) -> None:
    aws = demo_aws()
    aws.functions["payments-api"].tags["bluegreen:guard"] = "on"
    # The row counts down from when the service was read (the fake reads at NOW), so only the
    # panel, judged by the console's clock, is asked here.
    text, _, _ = await run_watch(aws, tmp_path, minutes=30)
    assert text.startswith("WATCH ")
    assert "guarded" not in text and "console only" not in text
