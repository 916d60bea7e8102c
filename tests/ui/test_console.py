"""Read-only refusals, stale data, one metrics call per refresh, deploy, audit, help, palette."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable

from bgtui.app.backend import Backend
from bgtui.core.errors import EndpointUnreachable
from bgtui.ui.app import BgtuiApp
from bgtui.ui.commands import PALETTE
from bgtui.ui.screens.audit import AuditScreen
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.chart import ChartScreen
from bgtui.ui.screens.deploy import DeployScreen
from bgtui.ui.screens.help import HelpScreen
from bgtui.ui.widgets.bars import StatusBar, TopBar
from bgtui.ui.widgets.health_panel import HealthPanel
from tests.ui.fake_backend import NOW, MetricsFakeAws, fake_backend, read_only
from tests.ui.helpers import fill, notifications, outcomes, select_service, settle, shown


def read_only_app(aws: MetricsFakeAws, tmp_path: Path) -> BgtuiApp:
    backend = fake_backend(aws, tmp_path, policy=read_only())
    return BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0)


async def test_read_only_refuses_every_mutation_visibly(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    app = read_only_app(aws, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "READ-ONLY" in shown(app.dashboard.query_one(TopBar))
        for key in ("p", "r", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is app.dashboard, f"{key} opened {app.screen}"
        refusals = [n for n in notifications(app) if n.startswith("Read-only")]
        assert len(refusals) == 3
        assert "promote refused" in refusals[0]
        assert "lambda:UpdateAlias" not in aws.calls
        # Smoke checks change no pointer: allowed read-only, as `bgtui test` is.
        await pilot.press("t")
        await settle(pilot)
        assert "lambda:InvokeFunction" in aws.calls


async def test_status_bar_names_region_account_and_endpoint_host_only(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = shown(app.dashboard.query_one(StatusBar))
        assert "eu-west-1" in status and "123456789012" in status
        assert "127.0.0.1" in status and "http://" not in status and "4599" not in status
        assert "03:00:30Z" in status
        assert "DEMO" in shown(app.dashboard.query_one(TopBar))


class SteppedClock:
    """The console's injected clock, moved on by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


async def test_metrics_are_read_once_a_minute_and_state_on_everytick(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    """Lambda's metrics are per minute and land minutes late (CloudWatch bills each metric
    requested, https://aws.amazon.com/cloudwatch/pricing/): the selected service's every series
    once a minute, after the minute landed; a glance at the other rows every five minutes;
    aliases and stages on every tick."""
    clock = SteppedClock(NOW)  # 03:00:30
    app = BgtuiApp(fake_backend(aws, tmp_path), clock=clock, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # At start nothing is on screen yet: every series of every service read, in one call.
        assert aws.fetches == [48]
        selected = app.model.selected
        for _ in range(9):  # 03:00:35 … 03:01:15: the minute 03:00 has not landed yet
            clock.now += timedelta(seconds=5)
            app.tick()
            await settle(pilot)
        assert aws.fetches == [48]
        assert aws.calls.count("lambda:ListAliases") == 2 * 10
        clock.now += timedelta(seconds=5)  # 03:01:20
        app.tick()
        await settle(pilot)
        # The selected service in full (2 colours x 2 kinds of traffic x 4 + 2 stages x 4).
        assert aws.fetches == [48, 24] and app.model.selected == selected
        for _ in range(48):  # 03:05:20: the other row's five-minute glance is due as well
            clock.now += timedelta(seconds=5)
            app.tick()
            await settle(pilot)
        assert aws.fetches == [48, 24, 24, 24, 24, 24 + 3]
        # On demand (the palette's "Refresh now"): the selected service, at once.
        app.action_refresh()
        await settle(pilot)
        assert aws.fetches[-1] == 24
        assert app.paint_latencies and app.first_data_painted is not None


async def test_selecting_a_row_that_had_a_glance_reads_its_every_series(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    clock = SteppedClock(NOW + timedelta(minutes=1))
    app = BgtuiApp(fake_backend(aws, tmp_path), clock=clock, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        other = next(fn for fn in aws.functions if fn != app.model.selected)
        clock.now += timedelta(minutes=5)
        app.tick()
        await settle(pilot)
        assert aws.fetches[-1] == 24 + 3, "the selected service in full, the other at a glance"
        glance = app.model.window(other)
        assert glance is not None and set(glance.groups) == {"blue:prod"}
        await select_service(pilot, other)
        assert aws.fetches[-1] == 24
        window = app.model.window(other)
        assert window is not None and {"blue:test", "green:prod", "stage:prod"} <= set(
            window.groups
        )


async def test_failed_refresh_marks_stale_and_keeps_the_last_data(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = shown(app.dashboard.query_one("#blue", HealthPanel))
        aws.metrics_error = EndpointUnreachable("could not reach http://127.0.0.1:4599")
        app.refresh_now(metrics_now=True)
        await settle(pilot)
        badge = shown(app.dashboard.query_one(TopBar))
        assert "STALE" in badge and "metrics since 03:00:30Z" in badge
        assert shown(app.dashboard.query_one("#blue", HealthPanel)) == before
        assert any("Refresh of metrics failed" in n for n in notifications(app))
        aws.metrics_error = None
        app.refresh_now(metrics_now=True)
        await settle(pilot)
        assert "STALE" not in shown(app.dashboard.query_one(TopBar))


async def test_gaps_and_incomplete_minutes_are_drawn_honestly(app: BgtuiApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        blue = shown(app.dashboard.query_one("#blue", HealthPanel)).splitlines()
        assert blue[0].startswith("LIVE ◆ blue v2")
        production = next(line for line in blue if line.startswith("prod via live"))
        # The minute CloudWatch has no point for is a gap; the newest two are after the split.
        errors = production.split()[3]
        assert "·" in errors.split("┊")[0]
        assert errors.split("┊")[1].endswith("·"), "the newest, still-filling minute lags"


async def test_deploy_an_existing_version_to_the_idle_colour(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DeployScreen)
        app.screen.query_one("#version").value = "1"  # type: ignore[attr-defined]
        await fill(pilot, "#reason", "CHG-3 retest v1")
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, ChangeScreen)
        assert not app.screen.query("#typed"), "a deploy leaves production alone: no typing"
        await pilot.click("#confirm")
        await settle(pilot)
        assert aws.functions["payments-api"].aliases["green"].version == "1"
        assert aws.functions["payments-api"].aliases["live"].version == "2"
        assert any("production untouched" in n for n in outcomes(app))


async def test_deploy_of_a_missing_zip_is_a_one_line_error(app: BgtuiApp, tmp_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.click("#src-zip")
        await fill(pilot, "#zip-path", str(tmp_path / "missing.zip"))
        await fill(pilot, "#reason", "CHG-4")
        await pilot.click("#confirm")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert any(n.startswith("Bad input: zip file") for n in notifications(app))


async def test_audit_lists_records_and_the_chain_verification(
    app: BgtuiApp, backend: Backend
) -> None:
    backend.operations.run_smoke(backend.catalog.find("ledger-writer"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        table = app.screen.query_one("#records", DataTable)
        assert table.row_count == 1
        assert [str(cell) for cell in table.get_row_at(0)[1:6]] == [
            "123456789012",
            "oncall@bastion",
            "test",
            "ledger-writer",
            "failed",
        ]
        assert "chain intact" in shown(app.screen.query_one("#verification"))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.dashboard


async def test_help_and_chart_open_and_close_with_escape(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChartScreen)
        chart = shown(app.screen.query_one("#chart"))
        assert "error rate %" in chart and "p99 duration ms" in chart
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.dashboard
        app.dashboard.query_one("#green", HealthPanel).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChartScreen)


async def test_every_action_is_in_the_command_palette(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {title for title, _, _ in PALETTE} <= set(commands)
        for title, _, action in PALETTE:
            assert getattr(commands[title].callback, "__name__", "") == f"action_{action}"


async def test_filter_narrows_the_list_and_escape_clears_it(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"pay")
        await pilot.press("enter")
        await settle(pilot)
        table = app.dashboard.query_one("#service-table", DataTable)
        assert table.row_count == 1
        assert app.model.selected == "payments-api"
        await pilot.press("escape")
        await settle(pilot)
        assert table.row_count == 2


async def test_a_long_list_is_capped_and_the_filter_finds_the_rest(tmp_path: Path) -> None:
    aws = MetricsFakeAws()
    for index in range(260):
        aws.add_service(f"svc-{index:04d}", versions=2)
    app = BgtuiApp(fake_backend(aws, tmp_path), clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.dashboard.query_one("#service-table", DataTable)
        assert table.row_count == 251
        assert table.get_row_at(250)[1] == "… 10 more: type / to filter"
        # One refresh reads what is on screen plus a batch of the rest, not all 260.
        assert aws.calls.count("lambda:ListAliases") <= 40
        await pilot.press("slash", *"svc-0259", "enter")
        await settle(pilot)
        assert app.model.selected == "svc-0259"
        assert app.model.state("svc-0259") is not None


async def test_many_rows_re_read_a_few_per_tick_yet_all_get_their_glance(tmp_path: Path) -> None:
    """Lambda's control plane allows 15 requests a second per account and API Gateway's
    management API 10 (their quotas pages): with ten rows on screen a tick re-reads six
    services, while every row on screen still gets its metrics."""
    aws = MetricsFakeAws()
    for n in range(10):
        aws.add_service(f"svc-{n:02d}")
    clock = SteppedClock(NOW)
    app = BgtuiApp(fake_backend(aws, tmp_path), clock=clock, refresh_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert len(app.model.states) == 10
        listed = aws.calls.count("lambda:ListAliases")
        clock.now = NOW.replace(minute=5, second=20)  # a five-minute slot: every row is due
        app.tick()
        await settle(pilot)
        assert aws.calls.count("lambda:ListAliases") - listed == 1 + 5
        # No API tagged on these: the selected one's 16 Lambda series, 3 for each other row.
        assert aws.fetches[-1] == 16 + 9 * 3
        assert all(app.model.window(fn) is not None for fn in aws.functions)
