"""Every command the README shows works: the walkthrough runs against a real emulator process."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bgtui.cli.main import build_parser
from tests.e2e.test_standalone_emulator import free_port

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)
EXPECTED_EXIT = {"bgtui test ledger-writer": 1, "bgtui promote ledger-writer": 1}


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README) if lang == language]


def console_commands() -> list[str]:
    return [
        line[2:].strip()
        for body in blocks("console")
        for line in body.splitlines()
        if line.startswith("$ ")
    ]


def all_bgtui_commands() -> list[str]:
    found = []
    for lang, body in BLOCK.findall(README):
        if lang not in ("console", "sh"):
            continue
        for line in body.splitlines():
            text = line.removeprefix("$ ").split("  #")[0].strip()
            if text.startswith("bgtui "):
                found.append(text)
    return found


def test_readme_starts_with_the_two_commands() -> None:
    first = console_commands()[:2]
    assert first == ["make demo", "make test"]


@pytest.mark.parametrize("command", sorted(set(all_bgtui_commands())))
def test_every_bgtui_command_parses(command: str) -> None:
    build_parser().parse_args(shlex.split(command)[1:])


@pytest.mark.parametrize(
    "target", sorted({c.split()[1] for c in console_commands() if c.startswith("make ")})
)
def test_every_make_target_exists(target: str) -> None:
    done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_links_point_at_files() -> None:
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link


def test_the_console_keys_table_lists_every_key_and_no_other() -> None:
    from bgtui.ui.app import BgtuiApp
    from bgtui.ui.screens.dashboard import DashboardScreen

    section = README[README.index("## The console") : README.index("## Demo and training")]
    listed = set(re.findall(r"^\| `([^`]+)`", section, re.MULTILINE))
    keys = {"slash": "/", "question_mark": "?"}
    bindings = [*DashboardScreen.BINDINGS, *BgtuiApp.BINDINGS]
    bound = {keys.get(b.key, b.key) for b in bindings} | {"ctrl+p", "↑"}
    assert bound == listed, f"README lists {sorted(listed)}; the console binds {sorted(bound)}"


def test_every_guarantee_names_a_test_that_exists() -> None:
    section = README[README.index("## Guarantees") : README.index("## Troubleshooting")]
    named = re.findall(r"`(test_[a-z_]+\.py)::(test_[a-z0-9_]+)`", section)
    assert len(named) >= 15
    for filename, test in named:
        source = (ROOT / "tests" / "reliability" / filename).read_text()
        assert f"def {test}(" in source, f"{filename}::{test}"


@pytest.mark.e2e
def test_the_walkthrough_runs_against_the_emulator(tmp_path: Path) -> None:
    commands = [c for c in console_commands() if c.startswith(("bgtui ", "export "))]
    walkthrough = [c for c in commands if "demo" not in c and "plan" not in c]
    assert len(walkthrough) >= 10
    port = free_port()
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    bgtui = str(Path(sys.executable).with_name("bgtui"))
    emulator = subprocess.Popen(
        [bgtui, "emulator", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert "listening on" in emulator.stdout.readline()
        for command in walkthrough:
            command = command.replace("4599", str(port))
            if command.startswith("export "):
                for pair in shlex.split(command)[1:]:
                    name, _, value = pair.partition("=")
                    env[name] = value
                continue
            argv = [bgtui, *shlex.split(command)[1:]]
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                env=env,
                stdin=subprocess.DEVNULL,
                timeout=120,
                # Commands that write files (a release record) write them here, not in the tree.
                cwd=tmp_path,
            )
            expected = next((v for k, v in EXPECTED_EXIT.items() if command.startswith(k)), 0)
            assert done.returncode == expected, f"{command}: {done.stdout}{done.stderr}"
            assert "Traceback" not in done.stderr
        state = tmp_path / "state" / "bgtui"
        assert not (state / "audit.jsonl").exists(), "the walkthrough wrote the real audit trail"
        assert (state / "emulator-audit.jsonl").is_file()
        if shutil.which("terraform") or os.environ.get("CI") == "true":
            plan = next(c for c in commands if c.startswith("bgtui plan"))
            done = subprocess.run(
                [bgtui, *shlex.split(plan)[1:]],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=600,
                stdin=subprocess.DEVNULL,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            assert "Plan:" in done.stdout or "No changes" in done.stdout
    finally:
        emulator.terminate()
        emulator.wait(30)
