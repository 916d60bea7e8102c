"""A context of two regions (active/active): a row per (region, function), actions in its region."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Button

from bgtui.app.regional import row_key
from bgtui.core.errors import Throttled
from bgtui.core.models import ServiceRef, ServiceState, VersionInfo
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.widgets.bars import StatusBar, TopBar
from bgtui.ui.widgets.context_bar import ContextBar
from bgtui.ui.widgets.health_panel import HealthPanel
from bgtui.ui.widgets.services import SearchableRows, ServiceList, all_rows
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.helpers import fill, notifications, screen_lines, select_service, settle, shown

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


def stale_marks(app: BgtuiApp) -> tuple[str, str, str]:
    """The top bar's badge, the blue panel's text and the status bar's, as shown."""
    dashboard = app.dashboard
    return (
        shown(dashboard.query_one(TopBar)),
        shown(dashboard.query_one("#blue", HealthPanel)),
        shown(dashboard.query_one(StatusBar)),
    )


async def test_one_regions_metrics_failing_marks_only_that_regions_trends_stale(
    tmp_path: Path,
) -> None:
    """GetMetricData is regional (a CloudWatch endpoint per region): one region throttled says
    nothing about the others' trends."""
    app, west, east = two_regions(tmp_path)
    west.metrics_error = Throttled("Rate exceeded")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # The first refresh fetched both regions at once: the other region's windows arrived.
        assert west.fetches and east.fetches
        assert set(app.model.windows) == {f"ledger-writer@{EAST}", f"payments-api@{EAST}"}
        badge, _, status = stale_marks(app)
        assert f"metrics in {WEST} since 03:00:30Z" in badge and "Rate exceeded" in badge
        assert EAST not in badge and "metrics since" not in badge
        assert status.startswith(f"{WEST}! +{EAST}  acct"), status
        await select_service(pilot, f"payments-api@{EAST}")
        assert "STALE" not in stale_marks(app)[1]
        await select_service(pilot, f"payments-api@{WEST}")
        assert f"STALE  metrics in {WEST} since 03:00:30Z" in stale_marks(app)[1]
        assert any(f"metrics in {WEST} failed" in n for n in notifications(app))


async def test_a_region_whose_metrics_fail_keeps_its_trends_until_it_reads_again(
    tmp_path: Path,
) -> None:
    app, west, _ = two_regions(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, f"payments-api@{WEST}")
        before = app.model.window()
        fresh = stale_marks(app)
        assert before is not None and "STALE" not in fresh[0] + fresh[1]
        assert fresh[2].startswith(f"{WEST} +{EAST}  acct"), fresh[2]
        west.metrics_error = Throttled("Rate exceeded")
        app.refresh_now(metrics_now=True)
        await settle(pilot)
        assert app.model.window() is before  # the last good window, not a blank panel
        badge, panel, status = stale_marks(app)
        assert f"STALE · metrics in {WEST}" in badge and f"metrics in {WEST}" in panel
        assert panel.splitlines()[:3] == fresh[1].splitlines()[:3]
        assert status.startswith(f"{WEST}! +{EAST}"), status
        # The other region reads well: its answer leaves this region's mark in place.
        await select_service(pilot, f"payments-api@{EAST}")
        app.refresh_now(metrics_now=True)
        await settle(pilot)
        badge, panel, _ = stale_marks(app)
        assert f"metrics in {WEST}" in badge and "STALE" not in panel
        west.metrics_error = None
        await select_service(pilot, f"payments-api@{WEST}")
        app.refresh_now(metrics_now=True)
        await settle(pilot)
        badge, panel, status = stale_marks(app)
        assert "STALE" not in badge and "STALE" not in panel
        assert status.startswith(f"{WEST} +{EAST}  acct"), status
        assert app.model.window() is not before


async def test_the_status_bar_names_every_region_or_counts_them_when_narrow(
    tmp_path: Path,
) -> None:
    app, west, _ = two_regions(tmp_path)
    west.metrics_error = Throttled("Rate exceeded")
    async with app.run_test(size=(66, 24)) as pilot:
        await settle(pilot)
        status = stale_marks(app)[2]
        assert status.startswith(f"{WEST}! +1  acct"), status
        assert len(status) <= 66
