"""A context of two regions (active/active): a row per (region, function), actions in its region."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Button

from bgtui.app.regional import row_key
from bgtui.core.models import ServiceRef, ServiceState, VersionInfo
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.widgets.context_bar import ContextBar
from bgtui.ui.widgets.services import SearchableRows, ServiceList, all_rows
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.helpers import fill, screen_lines, select_service, settle, shown

WEST, EAST = "eu-west-1", "us-east-1"


def two_regions(tmp_path: Path) -> tuple[BgtuiApp, MetricsFakeAws, MetricsFakeAws]:
    """One fake AWS per region; the same functions in both, one audit trail."""
    west, east = demo_aws(), demo_aws()
    first = fake_backend(west, tmp_path, regions=(WEST, EAST))
    second = fake_backend(east, tmp_path, region=EAST)
    app = BgtuiApp(first, clock=lambda: NOW, refresh_seconds=0, regions=[second])
    return app, west, east


async def test_every_region_is_listed_with_its_region_on_the_row(tmp_path: Path) -> None:
    app, _, _ = two_regions(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.dashboard.query_one(ServiceList).listed == [
            f"ledger-writer@{WEST}",
            f"ledger-writer@{EAST}",
            f"payments-api@{WEST}",
            f"payments-api@{EAST}",
        ]
        rows = [line for line in screen_lines(app) if "payments-api" in line]
        assert any(EAST in row for row in rows) and any(WEST in row for row in rows), rows
        assert all(len(line) <= 80 for line in screen_lines(app))
        assert f"{WEST}, {EAST}" in shown(app.dashboard.query_one(ContextBar))
        assert "not shown" not in shown(app.dashboard.query_one(ContextBar))
        # Both regions read: states and metrics kept apart, however alike the names.
        assert set(app.model.known) == set(app.dashboard.query_one(ServiceList).listed)
        assert app.model.known[f"payments-api@{EAST}"].ref.region == EAST


async def test_the_detail_and_versions_come_from_the_selected_rows_region(tmp_path: Path) -> None:
    app, _, east = two_regions(tmp_path)
    fn = east.functions["payments-api"]
    fn.aliases["green"] = replace(fn.aliases["green"], version="1")
    fn.versions.append(VersionInfo("4", "2026-01-04", "v4", "sha4"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, f"payments-api@{EAST}")
        state = app.model.state()
        assert state is not None and state.ref.region == EAST
        assert state.idle_alias is not None and state.idle_alias.version == "1"
        assert app.model.versions[f"payments-api@{EAST}"][0].version == "4"
        assert app.model.window() is not None
        await select_service(pilot, f"payments-api@{WEST}")
        state = app.model.state()
        assert state is not None and state.idle_alias is not None
        assert state.idle_alias.version == "3"
        assert "4" not in [v.version for v in app.model.versions[f"payments-api@{WEST}"]]


async def test_a_burst_down_p_promotes_in_the_region_of_the_row_under_the_cursor(
    tmp_path: Path,
) -> None:
    app, west, east = two_regions(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, f"payments-api@{WEST}")
        await pilot.press("down", "t")  # a burst: the test runs where the cursor went
        await settle(pilot)
        assert isinstance(app.screen, SmokeScreen)
        assert "lambda:InvokeFunction" not in west.calls and "lambda:InvokeFunction" in east.calls
        await pilot.press("escape")
        await settle(pilot)
        await select_service(pilot, f"payments-api@{WEST}")
        await pilot.press("down", "p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChangeScreen), f"expected the confirmation, got {screen}"
        assert screen.prepared.state.ref.region == EAST
        text = "\n".join(screen_lines(app))
        assert f"region {EAST}" in text and "account" in text, text
        await fill(pilot, "#reason", "CHG-7 east first")
        await fill(pilot, "#typed", "payments-api")
        assert not screen.query_one("#confirm", Button).disabled
        await pilot.click("#confirm")
        await settle(pilot)
        assert east.functions["payments-api"].aliases["live"].version == "3"
        assert west.functions["payments-api"].aliases["live"].version == "2"
        assert "lambda:UpdateAlias" not in west.calls
        promotes = [r for r in app.backend.audit.records() if r.action == "promote"]
        assert promotes and {r.region for r in promotes} == {EAST}
        assert app.model.known[f"payments-api@{WEST}"].live_colour != (
            app.model.known[f"payments-api@{EAST}"].live_colour
        )


def test_the_filter_matches_a_rows_region() -> None:
    states = [
        ServiceState(ServiceRef("payments-api", region), None, None, None)
        for region in (WEST, EAST)
    ]
    rows = all_rows(states, {}, [], lambda ref: row_key(ref, regional=True))
    assert [r.environment for r in rows] == [WEST, EAST]
    assert [r.function for r in SearchableRows(rows).matching("us-east")] == [
        f"payments-api@{EAST}"
    ]
