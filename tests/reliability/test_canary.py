"""Planted secrets (environment and keyring) appear in no output, log, audit record or screen;
what a function logged is shown on screen and never written to disk by bgtui."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend
from bgtui.cli.main import main
from bgtui.ui.app import BgtuiApp
from tests.emulator_fixtures import DemoStack
from tests.reliability.canary import Canary, assert_no_canary
from tests.ui.helpers import select_service, settle

LOGGED_FUNCTION = "fx-rates"


def plant_log_line(stack: DemoStack) -> str:
    """A line in each version's stream of today, as a function logging personal data would."""
    logged = "canaryLOG" + secrets.token_urlsafe(24)
    logs = stack.clients().logs
    group = f"/aws/lambda/{LOGGED_FUNCTION}"  # made with the demo stack, as the module makes it
    now = datetime.now(UTC)
    for version in ("1", "2", "3"):
        stream = f"{now:%Y/%m/%d}/[{version}]canary"
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        event = {"timestamp": int(now.timestamp() * 1000), "message": f"card holder {logged}"}
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[event])
    return logged


async def test_no_planted_secret_leaks_anywhere(
    canary: Canary,
    demo_stack: DemoStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    caplog.set_level(logging.DEBUG, logger="bgtui")
    url = demo_stack.endpoint_url
    logged = plant_log_line(demo_stack)
    runs = [
        ("status",),
        ("status", "payments-api", "--json"),
        ("test", "payments-api"),
        ("test", "ledger-writer"),
        ("promote", "payments-api", "--reason", "CHG-1", "--yes"),
        ("promote", "ledger-writer", "--reason", "CHG-2", "--yes"),
        ("rollback", "payments-api", "--reason", "CHG-3", "--yes"),
        ("audit",),
        ("audit", "--verify", "--json"),
        ("secrets", "status"),
        ("logs", LOGGED_FUNCTION, "--since", "1h"),
    ]
    codes = [main(["--endpoint-url", url, *args]) for args in runs]
    assert codes == [0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    assert main(["--endpoint-url", "http://127.0.0.1:9", "status"]) == 4
    assert main(["--endpoint-url", url, "promote", "nope", "--reason", "x", "--yes"]) == 4
    printed = capsys.readouterr()
    audit = state / "bgtui" / "emulator-audit.jsonl"
    assert audit.read_text().count('"hmac"') >= 6, "records are signed with the keyring's key"

    settings = load_settings(endpoint_url=url, region=demo_stack.region)
    app = BgtuiApp(build_backend(settings), refresh_seconds=0)
    screens = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, limit_s=30)
        screens.append(app.export_screenshot())
        await pilot.press("a")
        await settle(pilot, limit_s=30)
        screens.append(app.export_screenshot())
        await pilot.press("escape")
        await select_service(pilot, LOGGED_FUNCTION)
        await pilot.press("l")
        for _ in range(300):
            if logged in app.export_screenshot():
                break
            await pilot.pause(0.05)
        screens.append(app.export_screenshot())

    assert logged in printed.out, "bgtui logs prints what the function logged"
    assert logged in screens[-1], "the log pane shows what the function logged"
    on_disk = [p for p in tmp_path.rglob("*") if p.is_file() and logged.encode() in p.read_bytes()]
    assert on_disk == [], "logs are shown, never written to disk"
    assert logged not in caplog.text, "nor into bgtui's own log"
    assert_no_canary(printed.out, printed.err, caplog.text, state, *screens)
