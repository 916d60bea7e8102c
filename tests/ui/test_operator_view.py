"""What an operator reads: one meaning per row, figures that say whose, text read whole."""

from __future__ import annotations

import re
import string
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from bgtui.app.backend import Backend
from bgtui.core.metrics import GroupHealth, HealthWindow, MinuteSeries, window_minutes
from bgtui.core.models import AlarmState, InvokeResult
from bgtui.ui.app import BgtuiApp
from bgtui.ui.chart import build_chart
from bgtui.ui.commands import PALETTE
from bgtui.ui.screens.dashboard import DashboardScreen
from bgtui.ui.screens.help import KEY_WIDTH, KEYS, HelpScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.screens.terraform import TerraformScreen
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.fake_terraform import FakeTerraform
from tests.ui.helpers import (
    column_text,
    notifications,
    region_text,
    screen_lines,
    select_service,
    settle,
    shown,
)

SIZES = [(80, 24), (120, 36)]
GLYPHS = ("◆", "●")


def rows_of(widget) -> range:  # type: ignore[no-untyped-def]
    return range(widget.region.y, widget.region.bottom)


@pytest.mark.parametrize("size", SIZES)
async def test_no_screen_row_holds_two_services_or_two_colours(
    app: BgtuiApp, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        dashboard = app.dashboard
        services, detail = dashboard.query_one("#services"), dashboard.query_one("#detail")
        assert not set(rows_of(services)) & set(rows_of(detail)), "list and detail share rows"
        blue, green = dashboard.query_one("#blue"), dashboard.query_one("#green")
        assert not set(rows_of(blue)) & set(rows_of(green)), "the colours share rows"
        for row in region_text(app, detail):
            assert not all(glyph in row for glyph in GLYPHS), f"two colours on one row: {row}"


async def test_after_a_promote_every_figure_says_whose_it_is(
    app: BgtuiApp, backend: Backend
) -> None:
    """ledger-writer's broken green goes live; healthy blue goes idle. No row puts green's
    figures next to blue: the stages' own figures say they are any colour's."""
    ops = backend.operations
    ref = ops.catalog.find("ledger-writer")
    overrides = {"smoke-passed": "drill", "idle-alarms": "drill"}
    change = ops.prepare_promote(ref, reason="CHG-1 drill", overrides=overrides)
    ops.execute(change, "ledger-writer")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        summary = shown(app.dashboard.query_one("#summary")).splitlines()
        assert "test stage → alias blue = idle ◆ blue v2" in summary
        for row in summary:
            assert not re.search(r"\d(%|ms)", row), f"a figure on a pointer row: {row}"
        for row in shown(app.dashboard.query_one("#stages")).splitlines():
            assert "any colour" in row and not any(glyph in row for glyph in GLYPHS), row
        green = shown(app.dashboard.query_one("#green")).splitlines()
        assert green[0].startswith("LIVE ● green v3")
        assert "100%" in next(row for row in green if row.startswith("test via green"))
        blue = shown(app.dashboard.query_one("#blue")).splitlines()
        assert blue[0].startswith("idle ◆ blue v2")
        assert "100%" not in "\n".join(blue)


async def test_alarms_sit_with_the_traffic_they_watch_in_one_order(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    """payments-api: its live alarm is OK, its blue alarm (tests of blue) fires; green's
    alarms arrive in the other order. Both panels list errors, then p99."""
    aws.alarms = [a for a in aws.alarms if not a.name.startswith("payments-api")]
    aws.alarms += [
        AlarmState("payments-api-green-p99", "OK", "green", "p99"),
        AlarmState("payments-api-green-errors", "OK", "green", "errors"),
        AlarmState("payments-api-blue-errors", "ALARM", "blue", "errors"),
        AlarmState("payments-api-blue-p99", "OK", "blue", "p99"),
        AlarmState("payments-api-live-p99", "OK", "live", "p99"),
        AlarmState("payments-api-live-errors", "OK", "live", "errors"),
    ]
    app = BgtuiApp(fake_backend(aws, tmp_path), clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        blue = shown(app.dashboard.query_one("#blue")).splitlines()
        green = shown(app.dashboard.query_one("#green")).splitlines()
        assert blue[1].startswith("prod via live") and blue[1].endswith("errors OK · p99 OK")
        assert blue[2].startswith("test via blue") and blue[2].endswith("errors ALARM · p99 OK")
        assert green[2].startswith("test via green") and green[2].endswith("errors OK · p99 OK")
        assert not any("live alarms" in row for row in screen_lines(app))


def flat_window(errors: float) -> HealthWindow:
    minutes = window_minutes(NOW, 30)
    traffic = GroupHealth(
        {
            "errors": MinuteSeries((errors,) * 30),
            "invocations": MinuteSeries((4.0,) * 30),
            "p99": MinuteSeries((150.0,) * 30),
        }
    )
    groups = {f"{c}:{t}": traffic for c in ("blue", "green") for t in ("prod", "test")}
    return HealthWindow(minutes, 2, groups)


def test_the_error_axis_starts_at_zero() -> None:
    chart = build_chart(flat_window(errors=0.0), "test", 78, 22).plain
    ticks = [float(m) for m in re.findall(r"^\s*(-?[\d.]+)┤", chart, re.MULTILINE)]
    assert ticks and min(ticks) == 0.0, ticks


async def test_help_fits_80x24_without_stray_glyphs(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        assert screen.query_one("#dialog-body").max_scroll_y == 0, "help scrolls at 80x24"
        lines = screen_lines(app)
        inside = [row[1:-1] for row in lines[1:-1]]  # within the dialog's border
        strays = [row for row in inside if re.search("[▁▂▃▄▅▆▇█]", row) and "┊" not in row]
        assert not strays, strays
        for binding in DashboardScreen.BINDINGS:
            key = {"slash": "/", "question_mark": "?"}.get(binding.key, binding.key)
            # The key column (KEY_WIDTH wide) may name several keys, separated by " · " or " / ".
            shown = (re.split(r" [·/] ", row.strip()[:KEY_WIDTH].strip()) for row in inside)
            assert any(key in keys for keys in shown), f"{key} not shown"


async def test_the_palette_lists_only_bgtui_commands(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles == [title for title, _, _ in PALETTE]
        assert "Keys" not in titles and "Maximize" not in titles


@pytest.mark.parametrize("size", SIZES)
async def test_every_key_shows_whole_in_the_footer_or_in_help(
    app: BgtuiApp, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer = app.dashboard.query_one(Footer)
        keys = list(footer.query(FooterKey))
        for key in keys:
            assert key.region.right <= size[0], f"{key.key} runs off the screen"
            others = [k for k in keys if k is not key]
            assert not any(key.region.overlaps(k.region) for k in others), f"{key.key} is cut"
        shown_keys = {key.key for key in keys}
        assert {"question_mark", "q", "ctrl+p"} <= shown_keys
        in_help = {k for shown_key, _ in KEYS for k in shown_key.split()}
        for binding in DashboardScreen.BINDINGS:
            key = {"slash": "/", "question_mark": "?"}.get(binding.key, binding.key)
            assert binding.key in shown_keys or key in in_help, binding.key
        if size[0] >= 120:
            assert {b.key for b in DashboardScreen.BINDINGS if b.show} <= shown_keys


LONG_ANSWER = '{"errorMessage": "' + "amount out of range; " * 6 + 'END-OF-ANSWER"}'
"""Long enough to be cut by a table column at 80 columns, short enough to be recorded whole."""


async def test_smoke_details_read_whole(app: BgtuiApp, aws: MetricsFakeAws) -> None:
    aws.invoke = lambda function, qualifier, payload: InvokeResult(  # type: ignore[method-assign]
        200, LONG_ANSWER, "Unhandled", "3"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, SmokeScreen)
        rows = region_text(app, app.screen.query_one("#results"))
        assert "".join(LONG_ANSWER.split()) in column_text(rows, "detail"), rows


async def test_version_descriptions_read_whole(app: BgtuiApp, aws: MetricsFakeAws) -> None:
    words = "built from main at 4f2c9e1 by the release pipeline for the quarterly batch "
    versions = aws.functions["ledger-writer"].versions
    versions[0] = replace(versions[0], description=words * 2 + "END-OF-DESCRIPTION")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = region_text(app, app.dashboard.query_one("#versions"))
        whole = "".join((words * 2 + "END-OF-DESCRIPTION").split())
        assert whole in column_text(rows, "description"), rows


async def test_audit_reasons_read_whole(app: BgtuiApp, backend: Backend) -> None:
    ops = backend.operations
    reason = "CHG-77 " + "rolled forward after the ledger incident review; " * 4 + "END-OF-REASON"
    ops.run_smoke(ops.catalog.find("payments-api"))
    ops.execute(
        ops.prepare_promote(ops.catalog.find("payments-api"), reason=reason), "payments-api"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        rows = region_text(app, app.screen.query_one("#record-detail"))
        text = "".join(row.strip() + " " for row in rows)
        assert "END-OF-REASON" in text and text.count("incident review;") == 4


async def test_terraform_lines_wrap_without_losing_characters(backend: Backend) -> None:
    lines = [f"L{i:02d}:" + string.ascii_letters * 3 for i in range(30)]
    runner = FakeTerraform(lines=lines)
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, terraform=lambda: runner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, TerraformScreen)
        rows = region_text(app, app.screen.query_one("#tf-log"))[1:-1]
        shown_text = "".join(row[1:-1].rstrip(" ▁▂▃▄▅▆▇█▎▏▐▕") for row in rows)
        whole = [line for line in lines if line in shown_text]
        assert len(whole) >= 4, shown_text
        cut = re.findall(r"L\d\d:", shown_text)
        for label in cut[1:-1]:
            line = next(line for line in lines if line.startswith(label))
            assert line in shown_text, f"{label} lost characters at a wrap"


async def test_an_adopt_that_stopped_part_way_is_told_once_the_data_is_in(tmp_path: Path) -> None:
    """A half-adopted function is no service yet (its tags come last), so no row shows it: the
    console says where the adopt recorded here stopped, as `bgtui status` does."""
    backend = fake_backend(demo_aws(), tmp_path)
    trail = backend.audit
    trail.append({"action": "adopt", "phase": "intent", "function": "legacy-fn"})
    trail.append({"action": "adopt", "phase": "step", "function": "legacy-fn", "outcome": "ok"})
    trail.append(
        {
            "action": "adopt",
            "phase": "outcome",
            "function": "legacy-fn",
            "outcome": "failed",
            "intent": 1,
            "error": "AccessDenied on lambda:CreateAlias",
        }
    )
    trail.append({"action": "adopt", "phase": "intent", "function": "done-fn"})
    trail.append({"action": "adopt", "phase": "outcome", "function": "done-fn", "outcome": "ok"})
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        told = [n for n in notifications(app) if "Adopt unfinished" in n]
        assert len(told) == 1, notifications(app)
        assert "adopting legacy-fn stopped after 1 step(s)" in told[0]
        assert "AccessDenied on lambda:CreateAlias" in told[0]
