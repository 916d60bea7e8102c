"""The air-gapped bastion: `make wheelhouse` on a connected machine, then the README's two
install lines with no index at all (pip's configuration files ignored, uv offline), from the
wheelhouse alone; the installed copy then serves the emulator and reads it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.install.test_installed_copy import DEMO_SERVICES, running_emulator
from tests.install.tools import REPO, ToolInstall, find_uv

pytestmark = pytest.mark.e2e


def readme_install_lines() -> tuple[list[str], list[str]]:
    """The README's pip and uv lines that install from a wheelhouse, as words."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    pip = re.search(r"^pip install --no-index --find-links wheelhouse (\S+)", text, re.M)
    uv = re.search(
        r"^uv tool install --offline --no-index --find-links wheelhouse (\S+)", text, re.M
    )
    assert pip and uv, "the README's wheelhouse lines changed: update this test with them"
    return (
        ["install", "--no-index", "--find-links", "WHEELHOUSE", pip[1].strip("'")],
        [
            "tool",
            "install",
            "--offline",
            "--no-index",
            "--find-links",
            "WHEELHOUSE",
            uv[1].strip("'"),
        ],
    )


def wheelhouse_recipe(dist: Path) -> list[str]:
    """The Makefile's `pip wheel` line of `wheelhouse`, writing under `dist`."""
    recipe = re.search(r"^wheelhouse:.*\n((?:\t.*\n)+)", (REPO / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no wheelhouse target"
    line = " ".join(part.strip().rstrip("\\") for part in recipe[1].splitlines()[:2])
    words = line.split()
    assert words[:4] == ["$(PYTHON)", "-m", "pip", "wheel"], words
    # The Makefile's $(PYTHON), whose pip makes the wheels (bgtui's own venv has no pip).
    python = shutil.which(os.environ.get("PYTHON", "python3"))
    assert python, "no python3 on PATH"
    return [
        python,
        *(str(dist / w.removeprefix("dist/")) if w.startswith("dist/") else w for w in words[1:]),
    ]


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make dist` then `make wheelhouse`, on this (connected) machine."""
    from tests.install.test_installed_copy import dist_commands

    dist = tmp_path_factory.mktemp("dist")
    for command in dist_commands(find_uv(), dist):
        subprocess.run(command, cwd=REPO, check=True)
    subprocess.run(wheelhouse_recipe(dist), cwd=REPO, check=True, capture_output=True)
    house = dist / "wheelhouse"
    for wheel in dist.glob("bgtui-*.whl"):
        (house / wheel.name).write_bytes(wheel.read_bytes())
    return house


def air_gapped(env: dict[str, str], scratch: Path) -> dict[str, str]:
    """No package source but the wheelhouse: pip reads no configuration file (os.devnull, as
    pip's documentation says) and no PIP_/UV_ setting reaches either tool."""
    kept = ("UV_TOOL_DIR", "UV_TOOL_BIN_DIR")  # where the tool goes, not where packages come from
    clean = {k: v for k, v in env.items() if k in kept or not k.startswith(("PIP_", "UV_"))}
    clean["PIP_CONFIG_FILE"] = os.devnull
    clean["UV_NO_CONFIG"] = "1"
    clean["UV_CACHE_DIR"] = str(scratch / "uv-cache")  # empty: nothing comes from the cache
    return clean


def test_pip_installs_from_the_wheelhouse_alone(wheelhouse: Path, tmp_path: Path) -> None:
    pip_words, _ = readme_install_lines()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = air_gapped(dict(os.environ), tmp_path)
    words = [str(wheelhouse) if w == "WHEELHOUSE" else w for w in pip_words]
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q", *words],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    version = subprocess.run(
        [str(venv / "bin" / "bgtui"), "--version"], env=env, capture_output=True, text=True
    )
    assert version.stdout.strip() == "bgtui 0.1.0", version.stderr


def test_uv_tool_installs_from_the_wheelhouse_alone(wheelhouse: Path, tmp_path: Path) -> None:
    _, uv_words = readme_install_lines()
    env = air_gapped(ToolInstall.environment(os.environ, tmp_path), tmp_path)
    words = [str(wheelhouse) if w == "WHEELHOUSE" else w for w in uv_words]
    done = subprocess.run(
        [find_uv(), *words, "--python", sys.executable],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    installed = ToolInstall(tmp_path / "tools", tmp_path / "bin", env)
    with running_emulator(installed) as endpoint:
        status = installed.run("status", "--json", "--endpoint-url", endpoint)
    assert {s["function"] for s in json.loads(status.stdout)["services"]} == DEMO_SERVICES
