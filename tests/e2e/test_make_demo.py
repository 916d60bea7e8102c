"""`make demo` on a fresh clone in a real pseudo-terminal: a locked install of only what the demo
needs, without tool banners; the dashboard; the Terraform view planning the demo's own services;
quit; no process left and nothing left in the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
DEV_TOOLS = ("pytest", "mypy", "ruff", "lint-imports")
# What pip, setuptools and uv print when they are not kept quiet.
BANNERS = ("Successfully installed", "running ", "setuptools", "Resolved ", "Installed ", "WARNING")


SOCKET = f"bgtui-make-demo-{os.getpid()}"


def tmux(*args: str) -> str:
    command = ["tmux", "-L", SOCKET, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
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
        if cmdline.startswith("tmux "):
            continue  # the test's own tmux server, kept to read the pane after make ended
        if str(folder) in cmdline or cwd.startswith(str(folder)):
            found.append(f"{proc.name}: {cmdline[:120]}")
    return found


def wait_for(condition_text: tuple[str, ...], exit_file: Path, timeout_s: float) -> str:
    screen = ""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "demo")
        if all(text in screen for text in condition_text):
            return screen
        assert not exit_file.exists(), f"make demo ended early:\n{screen}"
        # The pane's shell writes the exit file when make ends; a pane gone without it is
        # a demo killed from outside (or its clone removed): say so rather than wait.
        assert "demo" in tmux("list-sessions", "-F", "#{session_name}"), "the tmux pane is gone"
        time.sleep(0.5)
    pytest.fail(f"never showed {condition_text}:\n{screen}")


def left_in_checkout(clone: Path, ignored: bool) -> list[str]:
    """What `git status` shows; with `ignored`, also what .gitignore hides (terraform's state,
    plans, .terraform) apart from the install (.venv) and Python's bytecode caches."""
    command = ["git", "status", "--porcelain", *(["--ignored"] if ignored else [])]
    done = subprocess.run(command, cwd=clone, capture_output=True, text=True, check=True)
    expected = (".venv/", "__pycache__/")
    return [line for line in done.stdout.splitlines() if not line.endswith(expected)]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_make_demo_on_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "bgtui"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    exit_file = tmp_path / "exit-code"
    env_prefix = f"XDG_STATE_HOME={tmp_path / 'state'} XDG_CONFIG_HOME={tmp_path / 'config'}"
    command = f"cd {clone} && {env_prefix} make demo; echo $? > {exit_file}"
    tmux("new-session", "-d", "-s", "demo", "-x", "120", "-y", "36", command)
    tmux("set-option", "-t", "demo", "remain-on-exit", "on")  # to read what make printed
    try:
        screen = wait_for(("DEMO", "LIVE", "idle", "Payments"), exit_file, 600)
        assert "blue" in screen and "green" in screen
        assert "Traceback" not in screen
        assert not [t for t in DEV_TOOLS if (clone / ".venv" / "bin" / t).exists()]

        tmux("send-keys", "-t", "demo", "f")
        wait_for(("to import",), exit_file, 600)
        tmux("send-keys", "-t", "demo", "Escape")
        time.sleep(1)
        tmux("send-keys", "-t", "demo", "q")
        deadline = time.monotonic() + 60
        while not exit_file.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert exit_file.read_text().strip() == "0"
        printed = [line for line in tmux("capture-pane", "-p", "-t", "demo").splitlines() if line]
        assert not [line for line in printed if line.startswith(BANNERS)], printed
        assert len(printed) <= 3, f"more than one short progress line:\n{printed}"
        time.sleep(1)
        assert processes_under(clone) == []
        assert left_in_checkout(clone, ignored=False) == []
        assert left_in_checkout(clone, ignored=True) == []
    finally:
        tmux("kill-server")
