"""The real `bgtui` console in tmux against `bgtui emulator`: keystrokes as a terminal sends them.

Each test runs its own tmux server (`tmux -L`), so no one else's tmux is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
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
        self.socket = f"{name}-socket"

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check
        )

    def start(self, command: str, width: int = 120, height: int = 36) -> None:
        # The pane outlives its command, so a console that exits early leaves what it printed.
        self.tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
            ";", "set-option", "-t", self.name, "remain-on-exit", "on",
            ";", "respawn-pane", "-k", "-t", self.name, command,
        )  # fmt: skip

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def keys(self, *keys: str) -> None:
        """All of `keys` in one `send-keys`: they reach the console as one burst."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        status = self.tmux(
            "display-message", "-p", "-t", self.name, "#{pane_dead} #{pane_dead_status}",
            check=False,
        )  # fmt: skip
        raise AssertionError(
            f"never saw {what}; pane dead, exit status: {status.stdout.strip() or '?'}; "
            f"the screen was:\n{screen}"
        )

    def close(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def emulator_process(tmp_path: Path):
    port = free_port()
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.Popen(
        [BGTUI, "emulator", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**env, "PYTHONFAULTHANDLER": "1"},  # SIGABRT prints every thread's stack
    )
    assert "listening on" in proc.stdout.readline()
    env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
    yield env
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        printed, _ = proc.communicate(timeout=30)
        pytest.fail(f"bgtui emulator did not stop within 30 s of SIGTERM:\n{printed[-6000:]}")


def live_of(env: dict[str, str], function: str) -> dict:
    done = subprocess.run(
        [BGTUI, "status", function, "--json"], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout)["services"][0]["live"]


def test_promote_through_the_real_console(emulator_process: dict[str, str], tmp_path: Path) -> None:
    env = emulator_process
    assert live_of(env, "payments-api") == {"alias": "live", "colour": "blue", "version": "1"}
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
        # Focus starts in the reason; Enter in the name field moves to the Promote button.
        term.type("CHG-42 release")
        time.sleep(0.3)
        term.keys("Tab")
        time.sleep(0.3)
        term.type("payments-api")
        time.sleep(0.3)
        term.keys("Enter")
        time.sleep(0.5)
        assert "Promote payments-api?" in term.screen(), "Enter in the name field promoted"
        assert live_of(env, "payments-api") == {"alias": "live", "colour": "blue", "version": "1"}
        term.keys("Enter")
        term.wait_for(lambda s: "LIVE ● green v2" in s, "the live colour flipped on screen")
        assert live_of(env, "payments-api") == {"alias": "live", "colour": "green", "version": "2"}
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


def latest_test(state_home: Path) -> str:
    records = (state_home / "bgtui" / "emulator-audit.jsonl").read_text().splitlines()
    tests = [json.loads(line) for line in records if '"action":"test"' in line.replace(" ", "")]
    return str(tests[-1]["function"]) if tests else ""


def test_bursts_of_keys_act_on_what_the_terminal_shows(
    emulator_process: dict[str, str], tmp_path: Path
) -> None:
    """`Down Down t` and `Up Up p` in one send-keys each, at 80x24: the smoke test runs on the
    service the two Downs reach, the promote opens for the one the Ups reach, and keys right
    behind `p` stay in its dialog."""
    env = emulator_process
    exports = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith(("AWS_", "XDG_")))
    term = Terminal(f"bgtui-burst-{os.getpid()}")
    term.start(f"env {exports} {BGTUI}", width=80, height=24)
    try:
        term.wait_for(
            lambda s: "FX Rates ·" in s and "Payments API" in s, "FX Rates selected, with data"
        )
        term.keys("Down", "Down", "t")
        smoke = term.wait_for(lambda s: "Smoke test" in s, "the smoke test results")
        assert "Smoke test PASSED: payments-api" in smoke
        assert latest_test(tmp_path / "state") == "payments-api"
        term.keys("Escape")
        term.wait_for(lambda s: "Payments API ·" in s, "Payments API still selected")
        term.keys("Up", "Up", "p", "a", "c", "q")
        dialog = term.wait_for(lambda s: "Promote fx-rates?" in s, "the promote of FX Rates")
        assert "Audit trail" not in dialog
        time.sleep(1)
        assert "Promote fx-rates?" in term.screen(), "a key behind p left the dialog"
        term.keys("Escape")
        back = term.wait_for(lambda s: "FX Rates ·" in s, "back on the dashboard at FX Rates")
    finally:
        term.close()
    # The first frame with data may come before the footer's keys (the first read can finish
    # before the screen's bindings are announced); once the dashboard is back they are there.
    footer = back.rstrip("\n").splitlines()[-1]
    assert "? Help" in footer and "q Quit" in footer and "^p palette" in footer, footer


FAKE_TERRAFORM = """#!/bin/sh
# Prints what the console needs from terraform: long plan lines that must wrap at 80 columns.
case "$1" in
  init) mkdir -p .terraform; echo "Terraform has been successfully initialized!" ;;
  workspace) echo "* default" ;;
  plan)
    for i in 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29; do
      echo "L$i:{letters}"
    done
    echo '{{"@level":"info","@message":"Plan: 1 to add, 0 to change, 0 to destroy.",'\\
'"type":"change_summary","changes":{{"add":1,"change":0,"remove":0,"operation":"plan"}}}}'
    ;;
esac
"""
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3


def test_terraform_lines_wrap_whole_in_an_80_column_terminal(
    emulator_process: dict[str, str], tmp_path: Path
) -> None:
    binary = tmp_path / "bin" / "terraform"
    binary.parent.mkdir()
    binary.write_text(FAKE_TERRAFORM.format(letters=LETTERS))
    binary.chmod(0o755)
    root = tmp_path / "root"
    root.mkdir()
    config = tmp_path / "bgtui.toml"
    config.write_text(f'[terraform]\ndir = "{root}"\n')
    env = {
        **emulator_process,
        "PATH": f"{binary.parent}:{os.environ['PATH']}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    exports = " ".join(
        f"{k}={v}" for k, v in env.items() if k.startswith(("AWS_", "XDG_")) or k == "PATH"
    )
    term = Terminal(f"bgtui-wrap-{os.getpid()}")
    term.start(f"env {exports} {BGTUI} --config {config}", width=80, height=24)
    try:
        term.wait_for(lambda s: "Payments API" in s, "the dashboard")
        term.keys("f")
        screen = term.wait_for(
            lambda s: "Plan: 1 to add" in s and "L29:" in s, "the plan's summary and last line"
        )
    finally:
        term.close()
    inside = [row[1:-1] for row in screen.splitlines() if row.startswith("│")]
    shown = "".join(row.rstrip(" ▁▂▃▄▅▆▇█▎▏▐▕") for row in inside)
    labels = [label for label in (f"L{i}:" for i in range(10, 30)) if label in shown]
    assert len(labels) >= 4, screen
    # The first and last lines shown may be cut by the log's edges; those between are whole.
    for label in labels[1:-1]:
        assert f"{label}{LETTERS}" in shown, f"{label} lost characters at a wrap:\n{screen}"
