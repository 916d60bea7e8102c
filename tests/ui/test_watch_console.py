"""The console's watch: countdown on the row and in the detail, minute verdicts, auto-rollback."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bgtui.core.models import Colour
from bgtui.core.watch_loop import PassClaim, claim_pass
from bgtui.ui.app import BgtuiApp
from bgtui.ui.widgets.watch_panel import WatchPanel
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.helpers import notifications, outcomes, select_service, settle, shown


def promoted_with_watch(aws: MetricsFakeAws, tmp_path: Path, function: str):  # type: ignore[no-untyped-def]
    backend = fake_backend(aws, tmp_path)
    ops = backend.operations
    ref = ops.catalog.find(function)
    overrides = {"smoke-passed": "CHG-9", "idle-alarms": "CHG-9"}
    change = replace(ops.prepare_promote(ref, None, "CHG-9", overrides), watch_minutes=10)
    ops.execute(change, change.confirmation_text)
    return backend


async def test_a_breach_seen_by_the_console_rolls_back_once(tmp_path: Path) -> None:
    aws = demo_aws()
    backend = promoted_with_watch(aws, tmp_path, "ledger-writer")
    assert aws.functions["ledger-writer"].aliases["live"].version == "3"
    app = BgtuiApp(backend, demo=True, clock=lambda: NOW + timedelta(minutes=5), refresh_seconds=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await select_service(pilot, "ledger-writer")
        await settle(pilot, rounds=4)
        assert aws.functions["ledger-writer"].aliases["live"].version == "2"
        rollbacks = [
            r for r in backend.audit.records() if r.action == "auto-rollback" and r.outcome
        ]
        assert [r.outcome for r in rollbacks] == ["ok"]
        assert rollbacks[0].extra["measured"] == "5xx 100.0% > 2% in 3 of 3 minutes"
        assert any(
            n.startswith("Auto-rollback: ledger-writer: 5xx 100.0%") for n in notifications(app)
        )
        state = app.model.state("ledger-writer")
        assert state is not None and state.live_colour is Colour.BLUE


async def test_the_detail_shows_countdown_thresholds_and_minutes(tmp_path: Path) -> None:
    aws = demo_aws()
    backend = promoted_with_watch(aws, tmp_path, "payments-api")
    app = BgtuiApp(backend, demo=True, clock=lambda: NOW + timedelta(minutes=4), refresh_seconds=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await settle(pilot)
        panel = app.dashboard.query_one(WatchPanel)
        assert panel.has_class("-open")
        text = shown(panel)
        assert text.splitlines()[0] == "WATCH 6m 00s left (until 03:10Z)"
        assert "rolls back on 5xx > 2% in 3 of 3 minutes" in text
        assert "03:01  requests" in text and "healthy" in text
        assert "waiting for data" in text
        assert aws.functions["payments-api"].aliases["live"].version == "3"
        table = app.dashboard.query_one("#service-table")
        lines = [table.render_line(y).text for y in range(1, 3)]
        row = next(line for line in lines if "payments-api" in line)
        assert "watch 10m demo" in row
        assert "watch" not in next(line for line in lines if "ledger-writer" in line)


async def test_a_window_watched_here_that_passes_is_recorded_once(tmp_path: Path) -> None:
    """The console's own watch writes the `watch` record (which announces `watch-passed`) when a
    window it saw open ends healthy; a window already over when it started is left alone."""
    aws = demo_aws()
    backend = promoted_with_watch(aws, tmp_path, "payments-api")
    now = [NOW + timedelta(minutes=4)]
    app = BgtuiApp(backend, demo=True, clock=lambda: now[0], refresh_seconds=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await settle(pilot)
        assert not [r for r in backend.audit.records() if r.action == "watch"]
        now[0] = NOW + timedelta(minutes=15)
        for _ in range(2):
            app.refresh_now(True)
            await settle(pilot, rounds=4)
        passed = [r for r in backend.audit.records() if r.action == "watch"]
        assert [(r.function, r.outcome) for r in passed] == [("payments-api", "ok")]
        assert passed[0].extra["measured"].startswith("passed: ")
        assert any("payments-api: passed: " in line for line in outcomes(app)), outcomes(app)
    later = BgtuiApp(backend, demo=True, clock=lambda: now[0], refresh_seconds=0)
    async with later.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await settle(pilot, rounds=4)
    assert len([r for r in backend.audit.records() if r.action == "watch"]) == 1


async def test_a_pass_another_watcher_claimed_is_shown_and_not_recorded_again(
    tmp_path: Path,
) -> None:
    """Another host watching the same window marked its pass on the live record first: this
    console says the window passed and who recorded it, and writes no `watch` record (so
    `watch-passed` is announced once)."""
    aws = demo_aws()
    backend = promoted_with_watch(aws, tmp_path, "payments-api")
    other = fake_backend(aws, tmp_path / "other-host")
    now = [NOW + timedelta(minutes=4)]
    app = BgtuiApp(backend, demo=True, clock=lambda: now[0], refresh_seconds=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await settle(pilot)
        ref = other.catalog.find("payments-api")
        assert claim_pass(other.operations, other.catalog.read(ref)) is PassClaim.CLAIMED
        now[0] = NOW + timedelta(minutes=15)
        for _ in range(2):
            app.refresh_now(True)
            await settle(pilot, rounds=4)
        assert not [r for r in backend.audit.records() if r.action == "watch"]
        passed = [line for line in outcomes(app) if "payments-api: passed: " in line]
        assert passed and passed[-1].endswith("(recorded by another watcher)"), outcomes(app)
