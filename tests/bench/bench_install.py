"""Figure 0: a fresh clone to an installed demo (`make demo-env`), warm and cold package caches."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from tests.bench.environment import REPO
from tests.bench.figures import Figure, at_most, figure
from tests.bench.world import BenchConfig, BenchWorld

WARM_RUNS = 3


def fresh_clone_install(cache_home: Path | None = None) -> float:
    """Seconds of `make demo-env` in a fresh clone; `cache_home` empty means every download."""
    with tempfile.TemporaryDirectory(prefix="bgtui-install-") as scratch:
        clone = Path(scratch) / "bgtui"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        env = dict(os.environ)
        for name in ("VIRTUAL_ENV", "UV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON"):
            env.pop(name, None)
        if cache_home is not None:
            env["XDG_CACHE_HOME"] = str(cache_home)
        started = time.perf_counter()
        subprocess.run(["make", "demo-env"], cwd=clone, env=env, check=True, capture_output=True)
        return time.perf_counter() - started


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    fresh_clone_install()  # the cache warm for what follows, whatever ran before
    warm = [fresh_clone_install() for _ in range(max(1, min(config.runs, WARM_RUNS)))]
    figures = [
        figure(
            "install.warm",
            "0. fresh clone → demo installed, warm cache (make demo-env)",
            warm,
            "s",
            at_most(15.0),
            "uv sync --locked from uv.lock; no development tools, no bytecode compiled",
        )
    ]
    with tempfile.TemporaryDirectory(prefix="bgtui-cold-cache-") as cold:
        seconds = fresh_clone_install(Path(cold))
    note = "empty cache: uv fetched by pip, every package downloaded from PyPI"
    figures.append(figure("install.cold", "0. the same, cold cache", [seconds], "s", None, note))
    return figures
