"""Figure 7: what an idle console costs — its CPU share while it refreshes every few seconds."""

from __future__ import annotations

import os
import time

from tests.bench.bench_startup import data_painted
from tests.bench.environment import bench_env
from tests.bench.figures import Figure, at_most, figure
from tests.bench.terminal import TmuxPane
from tests.bench.world import BenchConfig, BenchWorld

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (every thread), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
        text = stat.read()
    # The command name may contain spaces: fields are counted after its closing parenthesis.
    fields = text.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    console = world.console_command(world.demo_region())
    world.write_console_config()
    with TmuxPane(console, bench_env(world.home)) as pane:
        pane.launch()
        pane.wait_for(data_painted)
        pid = pane.pid
        # Past the start-up work: the versions of the selected service, the first refresh.
        time.sleep(config.settle_s)
        used, wall = _window(pid, config.idle_seconds)
    share = 100 * used / wall
    refreshes = wall / config.refresh_seconds
    return [
        figure(
            "idle.cpu",
            "7. idle console: CPU share of one core",
            [share],
            "%",
            at_most(3.0),
            f"{wall:.0f} s window, refresh every {config.refresh_seconds:g} s "
            f"(≈{refreshes:.0f} refreshes), demo stack with traffic",
        ),
        figure(
            "idle.per_refresh",
            "7. idle console: CPU per refresh",
            [1000 * used / max(refreshes, 1)],
            "ms",
        ),
    ]


def _window(pid: int, seconds: float) -> tuple[float, float]:
    before, started = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return cpu_seconds(pid) - before, time.monotonic() - started
