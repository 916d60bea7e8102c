"""Finding uv and the supported Pythons, and a uv tool install of bgtui in a scratch home."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYENV = Path.home() / ".pyenv" / "versions"


def missing(reason: str) -> None:
    """Skip where a tool is absent on a developer's machine; under CI it must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def find_uv() -> str:
    """`UV` (set by the Makefile), else the Makefile's pinned uv in the user's cache, else PATH."""
    version = re.search(r"^UV_VERSION := (\S+)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    pinned = cache / "bgtui" / f"uv-{version[1] if version else '?'}" / "bin" / "uv"
    for candidate in (os.environ.get("UV"), str(pinned), shutil.which("uv")):
        if candidate and Path(candidate).is_file():
            return candidate
    missing("uv is not installed: run `make install` first")
    raise AssertionError("unreachable")


def find_python(version: str) -> Path:
    """An interpreter of `version` (3.12 …): pyenv's, else `python3.12` on PATH."""
    for root in sorted(PYENV.glob(f"{version}.*"), reverse=True):
        found = root / "bin" / f"python{version}"
        if found.is_file():
            return found
    on_path = shutil.which(f"python{version}")
    if on_path is not None:
        return Path(on_path)
    missing(f"Python {version} is not installed")
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_line(process: subprocess.Popen[str], text: str, timeout_s: float) -> str:
    """Read the process's output until a line holds `text`; fail with what it printed."""
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return line
    raise AssertionError(f"never printed {text!r}:\n{''.join(seen)}")


@dataclass(frozen=True)
class ToolInstall:
    """bgtui installed by `uv tool install` into a scratch home, as on a bastion."""

    home: Path
    bin_dir: Path
    env: Mapping[str, str]

    @classmethod
    def of(
        cls, uv: str, python: Path, package: str, constraints: Path, scratch: Path
    ) -> ToolInstall:
        """`uv tool install` of `package` (`bgtui @ file:…whl`, with extras) as on a bastion.

        Offline first, from uv's cache (seconds); a cache without one of the locked files
        (a first run on this machine or Python) is filled from PyPI once.
        """
        env = cls.environment(os.environ, scratch)
        install = [
            *(uv, "tool", "install", "--quiet", "--python", str(python)),
            *("--constraints", str(constraints), package),
        ]
        offline = subprocess.run(
            [*install, "--offline"], env=env, capture_output=True, text=True, check=False
        )
        if offline.returncode != 0:
            subprocess.run(install, env=env, check=True)
        return cls(scratch / "tools", scratch / "bin", env)

    @staticmethod
    def environment(base: Mapping[str, str], scratch: Path) -> dict[str, str]:
        """`base` with uv's tool directories, bgtui's configuration and state, and fake AWS keys
        in `scratch`, and nothing of the checkout's environment."""
        env = {
            **base,
            "UV_TOOL_DIR": str(scratch / "tools"),
            "UV_TOOL_BIN_DIR": str(scratch / "bin"),
            "XDG_STATE_HOME": str(scratch / "state"),
            "XDG_CONFIG_HOME": str(scratch / "config"),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        # The installed copy writes the bytecode of what it imports, as a bastion's first run.
        for name in (
            "UV_PROJECT_ENVIRONMENT",
            "UV_PYTHON",
            "AWS_PROFILE",
            "VIRTUAL_ENV",
            "PYTHONPATH",
            "PYTHONDONTWRITEBYTECODE",
        ):
            env.pop(name, None)
        return env

    def run(
        self, *args: str, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.bin_dir / "bgtui"), *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(self.bin_dir / "bgtui"), *args],
            env=dict(self.env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def python_says(self, code: str) -> str:
        python = self.home / "bgtui" / "bin" / "python"
        done = subprocess.run(
            [str(python), "-P", "-c", code],  # -P: a checkout in the cwd must not shadow it
            env=dict(self.env),
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()
