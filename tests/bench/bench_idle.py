"""Figure 7: what an idle console costs — its CPU share while it refreshes every few seconds."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from tests.bench.bench_startup import data_painted
from tests.bench.environment import bench_env
from tests.bench.figures import Figure, at_most, figure
from tests.bench.terminal import TmuxPane
from tests.bench.world import BenchConfig, BenchWorld

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(stat_path: str) -> float:
    """utime + stime from a /proc stat file: `/proc/PID/stat` (every thread) or one task's."""
    with open(stat_path, encoding="utf-8") as stat:
        text = stat.read()
    # The command name may contain spaces: fields are counted after its closing parenthesis.
    fields = text.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass(frozen=True)
class IdleWindow:
    """CPU seconds of the whole console and of its UI thread over `wall` seconds."""

    process_s: float
    ui_thread_s: float
    wall_s: float

    def share(self) -> float:
        return 100 * self.process_s / self.wall_s


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    console = world.console_command(world.demo_region())
    world.write_console_config()
    with TmuxPane(console, bench_env(world.home)) as pane:
        pane.launch()
        pane.wait_for(data_painted)
        pid = pane.pid
        # Past the start-up work: the versions of the selected service, the first refresh.
        time.sleep(config.settle_s)
        window = idle_window(pid, config.idle_seconds)
    refreshes = max(window.wall_s / config.refresh_seconds, 1)
    note = (
        f"{window.wall_s:.0f} s window, refresh every {config.refresh_seconds:g} s "
        f"(≈{refreshes:.0f} refreshes), demo stack with traffic"
    )
    per_refresh = [1000 * window.process_s / refreshes]
    ui_per_refresh = [1000 * window.ui_thread_s / refreshes]
    return [
        figure(
            "idle.cpu",
            "7. idle console: CPU share of one core",
            [window.share()],
            "%",
            at_most(3.0),
            note,
        ),
        figure("idle.per_refresh", "7. idle console: CPU per refresh", per_refresh, "ms"),
        figure(
            "idle.ui_per_refresh",
            "7. of which the UI thread",
            ui_per_refresh,
            "ms",
            note="the main thread (event loop, layout, rendering); the rest is workers",
        ),
    ]


def idle_window(pid: int, seconds: float) -> IdleWindow:
    """CPU used while the console sits there for `seconds`; its main thread has its pid."""
    process, ui_thread = f"/proc/{pid}/stat", f"/proc/{pid}/task/{pid}/stat"
    before, ui_before, started = cpu_seconds(process), cpu_seconds(ui_thread), time.monotonic()
    time.sleep(seconds)
    return IdleWindow(
        cpu_seconds(process) - before,
        cpu_seconds(ui_thread) - ui_before,
        time.monotonic() - started,
    )
