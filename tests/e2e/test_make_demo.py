"""`make demo` on a fresh clone in a real pseudo-terminal: set-up, dashboard, quit, nothing left."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)
    return done.stdout


def processes_under(folder: Path) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if str(folder) in cmdline or cwd.startswith(str(folder)):
            found.append(f"{proc.name}: {cmdline[:120]}")
    return found


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_make_demo_on_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "bgtui"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    session = f"bgtui-demo-{os.getpid()}"
    exit_file = tmp_path / "exit-code"
    env_prefix = f"XDG_STATE_HOME={tmp_path / 'state'} XDG_CACHE_HOME={tmp_path / 'cache'}"
    command = f"cd {clone} && {env_prefix} make demo; echo $? > {exit_file}"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", command)
    try:
        screen = ""
        deadline = time.monotonic() + 1200
        while time.monotonic() < deadline:
            screen = tmux("capture-pane", "-p", "-t", session)
            if "DEMO" in screen and "LIVE" in screen and "idle" in screen and "Payments" in screen:
                break
            assert not exit_file.exists(), f"make demo ended early:\n{screen}"
            time.sleep(1)
        else:
            pytest.fail(f"the DEMO dashboard never showed both colours:\n{screen}")
        assert "blue" in screen and "green" in screen
        assert "Traceback" not in screen
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 60
        while not exit_file.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert exit_file.read_text().strip() == "0"
        time.sleep(1)
        assert processes_under(clone) == []
    finally:
        tmux("kill-session", "-t", session)
