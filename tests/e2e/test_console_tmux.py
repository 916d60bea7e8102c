"""The real `bgtui` console in tmux against `bgtui emulator`: a promote driven by keystrokes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.test_standalone_emulator import free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
BGTUI = str(Path(sys.executable).with_name("bgtui"))


class Terminal:
    """One tmux session: type keys, read the screen the way an operator on SSH sees it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def start(self, command: str, width: int = 120, height: int = 36) -> None:
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                command,
            ],
            check=True,
        )

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"never saw {what}; the screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def emulator_process(tmp_path: Path):
    port = free_port()
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.Popen(
        [BGTUI, "emulator", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert "listening on" in proc.stdout.readline()
    env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
    yield env
    proc.terminate()
    proc.wait(30)


def live_of(env: dict[str, str], function: str) -> dict:
    done = subprocess.run(
        [BGTUI, "status", function, "--json"], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout)["services"][0]["live"]


def test_promote_through_the_real_console(emulator_process: dict[str, str], tmp_path: Path) -> None:
    env = emulator_process
    assert live_of(env, "payments-api") == {"colour": "blue", "version": "1"}
    exports = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith(("AWS_", "XDG_")))
    term = Terminal(f"bgtui-console-{os.getpid()}")
    exit_file = tmp_path / "exit"
    term.start(f"env {exports} {BGTUI}; echo $? > {exit_file}")
    try:
        term.wait_for(lambda s: "Payments API" in s and "LIVE" in s, "the dashboard with data")
        for _ in range(5):
            if "Payments API ·" in term.screen():
                break
            term.keys("Down")
            time.sleep(0.5)
        term.wait_for(lambda s: "Payments API ·" in s, "Payments API selected")
        term.keys("t")
        term.wait_for(lambda s: "passed" in s.lower(), "the smoke test results")
        term.keys("Escape")
        time.sleep(0.5)
        term.keys("p")
        term.wait_for(lambda s: "smoke-passed" in s, "the promote confirmation with its gates")
        time.sleep(1.5)  # the modal takes focus once mounted; keys sent earlier go elsewhere
        # Focus starts on "No, cancel"; backwards from it come the name field, then the reason.
        term.keys("BTab", "BTab")
        time.sleep(0.3)
        term.type("CHG-42 release")
        time.sleep(0.3)
        term.keys("Tab")
        time.sleep(0.3)
        term.type("payments-api")
        time.sleep(0.3)
        term.keys("Enter")
        term.wait_for(lambda s: "LIVE ● green v2" in s, "the live colour flipped on screen")
        assert live_of(env, "payments-api") == {"colour": "green", "version": "2"}
        term.keys("q")
        deadline = time.monotonic() + 30
        while not exit_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert exit_file.read_text().strip() == "0"
    finally:
        term.close()
    audit = (tmp_path / "state" / "bgtui" / "emulator-audit.jsonl").read_text().splitlines()
    outcomes = [json.loads(line) for line in audit]
    assert [(r["action"], r["outcome"]) for r in outcomes if r["phase"] == "outcome"][-1] == (
        "promote",
        "ok",
    )
