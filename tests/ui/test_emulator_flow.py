"""The promote flow against the embedded emulator: real adapters, moto behind them."""

from __future__ import annotations

from pathlib import Path
from time import perf_counter

from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.core.models import Colour
from bgtui.demo.traffic import TrafficGenerator
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.widgets.summary import ServiceSummary
from tests.emulator_fixtures import DemoStack
from tests.ui.helpers import fill, region_text, select_service, settle, shown, table_rows


def result_rows(screen: SmokeScreen) -> list[list[str]]:
    """Result, kind, check and the version that answered, row by row."""
    rows = region_text(screen.app, screen.query_one("#results"))
    # The right-justified ms column starts left of its heading once a check takes ≥ 100 ms:
    # the version that answered is the first word under its heading.
    cells = table_rows(rows, ["result", "kind", "check", "answered", "ms"])
    return [[*row[:3], (row[3].split() or [""])[0]] for row in cells]


async def test_promote_on_the_emulator_flips_live_on_screen_and_in_lambda(
    demo_stack: DemoStack, demo_traffic: TrafficGenerator, tmp_path: Path
) -> None:
    settings = Settings(
        endpoint_url=demo_stack.endpoint_url,
        region=demo_stack.region,
        audit_path=tmp_path / "audit.jsonl",
        demo=True,
    )
    backend = build_backend(settings)
    app = BgtuiApp(backend, demo=True, refresh_seconds=0)
    started = perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.first_data_painted is not None
        assert app.first_data_painted - started < 30, "first frame with data took too long"
        assert backend.call_log.count("cloudwatch:GetMetricData") == 1
        await select_service(pilot, "payments-api")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, SmokeScreen) and app.screen.report.passed
        assert result_rows(app.screen) == [
            ["pass", "invoke", "invoke:default", "v2"],
            ["pass", "http", "http:default", "v2"],
        ]
        await pilot.press("escape")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ChangeScreen)
        await fill(pilot, "#reason", "CHG-5 emulator release")
        await fill(pilot, "#typed", "payments-api")
        await pilot.click("#confirm")
        await settle(pilot)
        assert "LIVE ● green" in shown(app.dashboard.query_one(ServiceSummary))
    fresh = build_backend(settings)
    state = fresh.catalog.read(fresh.catalog.find("payments-api"))
    assert state.live_colour is Colour.GREEN
    assert state.live is not None and state.green is not None
    assert state.live.version == state.green.version
