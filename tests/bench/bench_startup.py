"""Figure 1: from launching `bgtui` in a terminal to its first frame with services and metrics."""

from __future__ import annotations

import asyncio
import compileall
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bgtui.app.first_read import FirstRead
from bgtui.app.service import ReleaseService
from bgtui.ui.app import BgtuiApp
from bgtui.ui.messages import HealthRead, ServicesRead
from tests.bench.console_probe import MessageClock
from tests.bench.environment import REPO, bench_env, bgtui_command
from tests.bench.figures import Figure, at_most, figure, timed
from tests.bench.terminal import TmuxPane
from tests.bench.world import BenchConfig, BenchWorld

POINTERS = re.compile(r"LIVE [◆●] (blue|green) v\d+")
# What `bgtui` imports before its first frame; the audit key lookup is measured apart.
CONSOLE_MODULES = (
    "bgtui.cli.main, bgtui.cli.console, bgtui.cli.options, bgtui.app.first_read_process, "
    "bgtui.app.wiring, bgtui.ui.app"
)
MARKER = "-- imports done --"
PROBE = (
    f"import sys, time; import {CONSOLE_MODULES}; sys.stderr.write({MARKER!r} + chr(10)); "
    "from bgtui.adapters.keyring.secrets import audit_signing_key; "
    "started = time.perf_counter(); audit_signing_key(); print(time.perf_counter() - started)"
)
# Packages whose import cost is reported on its own (cumulative, where first imported). Off
# the console's path: the AWS SDK (imported by the first read's child, and by the console with
# its first client after the first frame), keyring (at the first audit write: 1d) and plotext
# (at the first chart).
HEAVY_IMPORTS = ("textual",)
DEMO_TIMEOUT_S = 120.0
FIRST_DATA_TIMEOUT_S = 60.0


def data_painted(screen: str) -> bool:
    """A service's pointers with versions, and sparklines instead of `reading metrics…`."""
    return bool(POINTERS.search(screen)) and "reading metrics" not in screen


@dataclass(frozen=True)
class Launch:
    """Seconds from launch to the first frame with data, and the CPU the process used by then."""

    wall_s: float
    cpu_s: float


def launch_to_data(command: list[str], home: Path, timeout_s: float = 60.0) -> Launch:
    """From launching `command` in a 120x36 pane to the first frame with data."""
    with TmuxPane(command, bench_env(home)) as pane:
        started = pane.launch()
        wall = pane.wait_for(data_painted, timeout_s) - started
        return Launch(wall, process_cpu_s(pane.pid))


def process_cpu_s(pid: int) -> float:
    """utime + stime of a process so far (/proc/PID/stat), threads included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compile_bytecode() -> None:
    """bgtui's own bytecode, as an installed copy has it: where PYTHONDONTWRITEBYTECODE is
    set, a checkout would otherwise compile every module at every start."""
    compileall.compile_dir(REPO / "bgtui", quiet=1)


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    compile_bytecode()
    console = world.console_command(world.demo_region())
    launches = [launch_to_data(console, world.home) for _ in range(config.startup_runs)]
    figures = [
        figure(
            "startup",
            "1. start → first frame with data (bgtui --endpoint-url)",
            [launch.wall_s for launch in launches],
            "s",
            at_most(1.0),
            "demo stack: 3 services, 72 series",
        ),
        figure(
            "startup.cpu",
            "1. the same: CPU the console used by then",
            [launch.cpu_s for launch in launches],
            "s",
            note="utime + stime from /proc/PID/stat, every thread; less load-bound than wall time",
        ),
    ]
    if config.demo_runs:
        demo = [*bgtui_command(), "demo"]
        runs = [
            launch_to_data(demo, world.home, DEMO_TIMEOUT_S).wall_s for _ in range(config.demo_runs)
        ]
        note = "emulator process start, provisioning and first traffic included"
        figures.append(
            figure("startup.demo", "1. start → data (bgtui demo)", runs, "s", at_most(5.0), note)
        )
    figures += startup_breakdown(config.import_runs, world.home)
    figures += in_process_start(world, config.startup_runs)
    return [*figures, unexplained(figures)]


def unexplained(figures: list[Figure]) -> Figure:
    """What the parts measured apart do not account for, from their medians."""
    found = {f.key: f.value for f in figures}
    # The keyring (1d) is asked at the first audit write, after the first frame.
    parts = ("startup.python", "startup.imports", "startup.app.painted")
    rest = found["startup"] - sum(found[key] for key in parts)
    note = "1 - (1a + 1b + 1e painted): real terminal driver, full frames, contention"
    return Figure("startup.rest", "1f. the rest", rest, "s", 1, None, note)


def in_process_start(world: BenchWorld, runs: int) -> list[Figure]:
    """The start without interpreter and imports: backend, app, first reads, first paint."""
    region = world.demo_region()
    starts = [asyncio.run(_first_data(world, region)) for _ in range(runs)]
    note = "run_test (headless), modules already imported"
    return [
        figure(
            "startup.app.services",
            "1e. backend + app → services read",
            [s.services_s for s in starts],
            "s",
            note=note,
        ),
        figure(
            "startup.app.metrics",
            "1e. backend + app → metrics read",
            [s.metrics_s for s in starts],
            "s",
        ),
        figure(
            "startup.app.painted",
            "1e. backend + app → data painted",
            [s.painted_s for s in starts],
            "s",
        ),
    ]


@dataclass(frozen=True)
class AppStart:
    """Seconds from building the backend to each milestone of the first refresh."""

    services_s: float
    metrics_s: float
    painted_s: float


async def _first_data(world: BenchWorld, region: str) -> AppStart:
    clock = MessageClock(lambda message: isinstance(message, ServicesRead | HealthRead))
    started = time.perf_counter()
    backend = world.backend(region)
    # As `bgtui` starts it: the first services read begins before the app is built.
    first = FirstRead.start(ReleaseService(backend))
    app = BgtuiApp(backend, first_read=first)
    async with app.run_test(size=(120, 36), message_hook=clock):
        deadline = started + FIRST_DATA_TIMEOUT_S
        while app.first_data_painted is None:
            if time.perf_counter() > deadline:
                raise TimeoutError("the console never painted its first data")
            await asyncio.sleep(0.005)
        painted = app.first_data_painted
    seen = {type(message): at for at, message in reversed(clock.seen)}
    return AppStart(seen[ServicesRead] - started, seen[HealthRead] - started, painted - started)


def startup_breakdown(runs: int, home: Path) -> list[Figure]:
    """Where the start goes: interpreter and imports, and the keyring lookup measured apart."""
    interpreter = [timed(_bare_interpreter)[0] for _ in range(runs)]
    parts = [startup_parts(home) for _ in range(runs)]
    figures = [
        figure("startup.python", "1a. python interpreter start", interpreter, "s"),
        figure(
            "startup.imports",
            "1b. imports of the console's modules",
            [p.imports_s for p in parts],
            "s",
            note="python -X importtime, every module",
        ),
    ]
    for package in HEAVY_IMPORTS:
        found = [p.packages[package] for p in parts if package in p.packages]
        figures.append(figure(f"startup.import.{package}", f"1c. import {package}", found, "s"))
    lookups = [p.keyring_s for p in parts]
    note = "audit_signing_key(), after the imports"
    figures.append(
        figure("startup.keyring", "1d. audit key from the keyring", lookups, "s", None, note)
    )
    return figures


@dataclass(frozen=True)
class StartupParts:
    """One fresh process: all its imports, the heavy packages among them, the keyring lookup."""

    imports_s: float
    packages: dict[str, float]
    keyring_s: float


def startup_parts(home: Path) -> StartupParts:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE],
        cwd=REPO,
        env=bench_env(home),
        capture_output=True,
        text=True,
        check=True,
    )
    # Only the imports before the marker: the lookup imports keyring backends lazily.
    imports = done.stderr.partition(MARKER)[0]
    own, packages = import_times(imports)
    return StartupParts(own, packages, float(done.stdout.strip().splitlines()[-1]))


def import_times(report: str) -> tuple[float, dict[str, float]]:
    """Seconds of every import (their own time, summed), and the cumulative seconds of each
    heavy package where it was first imported."""
    own, packages = 0.0, {}
    for line in report.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        own += int(parts[0]) / 1e6
        name = parts[2].strip()
        if name in HEAVY_IMPORTS and name not in packages:
            packages[name] = int(parts[1]) / 1e6
    return own, packages


def _bare_interpreter() -> None:
    subprocess.run([sys.executable, "-c", "pass"], check=True)
