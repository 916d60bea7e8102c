"""Planted secrets (environment and keyring) appear in no output, log, audit record or screen."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend
from bgtui.cli.main import main
from bgtui.ui.app import BgtuiApp
from tests.emulator_fixtures import DemoStack
from tests.reliability.canary import Canary, assert_no_canary
from tests.ui.helpers import settle


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
    caplog.set_level(logging.DEBUG, logger="bgtui")
    url = demo_stack.endpoint_url
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
    ]
    codes = [main(["--endpoint-url", url, *args]) for args in runs]
    assert codes == [0, 0, 0, 1, 0, 1, 0, 0, 0, 0]
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

    assert_no_canary(printed.out, printed.err, caplog.text, state, *screens)
