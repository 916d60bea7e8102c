"""`l` in the console against the embedded emulator: one colour's events, followed and filtered."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import RichLog

from bgtui.adapters.aws.lambda_logs import LambdaLogs
from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.demo.traffic import TrafficGenerator
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.logs import LogPane, LogsScreen
from tests.emulator_fixtures import DemoStack
from tests.ui.helpers import select_service, settle

GROUP = "/aws/lambda/ledger-writer"


def backend_for(stack: DemoStack, tmp_path: Path) -> Backend:
    settings = Settings(
        endpoint_url=stack.endpoint_url,
        region=stack.region,
        audit_path=tmp_path / "audit.jsonl",
        demo=True,
    )
    backend = build_backend(settings)
    assert backend.context is not None
    # Polls a few times a second here; the console's own pause is 5 s.
    backend.logs = LambdaLogs(backend.context, sleep=lambda _: time.sleep(0.05))
    return backend


def lines_of(pane: LogPane) -> list[str]:
    log = pane.query_one(RichLog)
    return ["".join(segment.text for segment in strip).rstrip() for strip in log.lines]


async def until(pilot: Pilot[None], condition, limit_s: float = 15.0) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, "the logs screen did not show it in time"
        await pilot.pause(0.05)


def add_event(backend: Backend, version: str, message: str) -> None:
    assert backend.context is not None
    logs = backend.context.client("logs")
    prefix = f"{datetime.now(UTC):%Y/%m/%d}/[{version}]"
    stream = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=prefix)
    name = stream["logStreams"][0]["logStreamName"]
    stamp = int(datetime.now(UTC).timestamp() * 1000)
    logs.put_log_events(
        logGroupName=GROUP,
        logStreamName=name,
        logEvents=[{"timestamp": stamp, "message": message}],
    )


async def test_l_shows_the_broken_candidates_traceback_follows_and_filters(
    demo_stack: DemoStack, demo_traffic: TrafficGenerator, tmp_path: Path
) -> None:
    backend = backend_for(demo_stack, tmp_path)
    app = BgtuiApp(backend, demo=True, refresh_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_service(pilot, "ledger-writer")
        app.dashboard.query_one("#green").focus()
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        assert [pane.id for pane in screen.query(LogPane)] == ["pane-green"], "one pane at 100"
        pane = screen.query_one(LogPane)
        await until(pilot, lambda: bool(pane.events))
        assert {event.version for event in pane.events} == {"3"}
        shown = lines_of(pane)
        assert any("✖ ERROR Traceback (most recent call last):" in line for line in shown)
        assert any("│ KeyError: 'amount'" in line for line in shown)
        assert not any("order accepted" in line for line in shown)

        add_event(backend, "3", "[ERROR] KeyError: 'currency'")
        await until(pilot, lambda: any("'currency'" in line for line in lines_of(pane)))

        await pilot.press(*"currency")
        await until(pilot, lambda: len(lines_of(pane)) == 1)
        assert lines_of(pane)[0].endswith("✖ ERROR [ERROR] KeyError: 'currency'")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LogsScreen)


async def test_a_wide_terminal_shows_both_colours_each_with_only_its_own_lines(
    demo_stack: DemoStack, demo_traffic: TrafficGenerator, tmp_path: Path
) -> None:
    backend = backend_for(demo_stack, tmp_path)
    app = BgtuiApp(backend, demo=True, refresh_seconds=0)
    async with app.run_test(size=(170, 40)) as pilot:
        await settle(pilot)
        await select_service(pilot, "ledger-writer")
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        blue, green = (
            screen.query_one("#pane-blue", LogPane),
            screen.query_one("#pane-green", LogPane),
        )
        assert blue.has_class("-chosen") and not green.has_class("-chosen"), "l opens live"
        await until(pilot, lambda: bool(blue.events and green.events))
        assert not any("Traceback" in line for line in lines_of(blue))
        assert any("Traceback" in line for line in lines_of(green))
        assert {e.version for e in blue.events} == {"2"}
