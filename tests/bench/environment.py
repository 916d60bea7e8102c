"""The environment every benchmark process runs in: the emulator's fake keys, no real profile."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
# The emulator's published fake credentials (not secret).
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}
DROPPED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def bench_env(home: Path | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """os.environ with the fake keys; `home` keeps configuration, state and audit apart."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in DROPPED and not k.startswith("AWS_ENDPOINT_URL") and k != "BGTUI_CONFIG"
    }
    env.update(FAKE_AWS)
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    local = "127.0.0.1,localhost"
    for name in ("NO_PROXY", "no_proxy"):
        env[name] = ",".join(p for p in (env.get(name, ""), local) if p)
    if home is not None:
        env["XDG_CONFIG_HOME"] = str(home / "config")
        env["XDG_STATE_HOME"] = str(home / "state")
    return env | dict(extra or {})


def use_bench_env() -> None:
    """The fake keys in this process too: in-process benchmarks build their backends here."""
    for name in DROPPED:
        os.environ.pop(name, None)
    os.environ.update(FAKE_AWS)


def bgtui_command() -> list[str]:
    """The installed `bgtui` script next to this interpreter, else `python -m bgtui`."""
    script = Path(sys.executable).with_name("bgtui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bgtui"]
