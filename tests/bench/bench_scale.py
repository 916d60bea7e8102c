"""Figure 6: 1,000 functions with 50 versions — discovery, the `/` filter, the console's memory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

from textual import events

from bgtui.backend import Backend
from bgtui.ui.app import make_app
from bgtui.ui.widgets.services import ServiceList
from tests.bench.bench_startup import data_painted
from tests.bench.bench_status import call_breakdown, status_read
from tests.bench.console_probe import FrameClock, MessageClock, settle
from tests.bench.environment import bench_env
from tests.bench.figures import Figure, at_most, figure, timed
from tests.bench.terminal import TmuxPane
from tests.bench.world import BenchConfig, BenchWorld

SCALE_TIMEOUT_S = 600.0


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    count, versions, region = config.scale_services, config.scale_versions, world.region()
    created_s, _ = timed(lambda: world.host.add_services(region, count, versions))
    label = f"{count} functions x {versions} versions"
    backend = world.backend(region)
    figures = [*_discovery(backend, count, config.runs), _full_read(backend, count)]
    figures.append(_filter_figure(backend, config.filter_text))
    figures += _console_figures(world, region, config.settle_s, label)
    note = f"{label}; emulator process {world.host.resident_mib():.0f} MiB"
    created = figure("scale.created", "6. emulator: services created in-process", [created_s], "s")
    return [*figures, replace(created, note=note)]


def _filter_figure(backend: Backend, text: str) -> Figure:
    keys = asyncio.run(filter_latencies(backend, text))
    return figure(
        "scale.filter",
        "6. `/` filter: key → list repainted",
        [k * 1000 for k in keys],
        "ms",
        at_most(50),
        f"typing {text!r}, then erasing it (run_test, headless)",
    )


def _console_figures(world: BenchWorld, region: str, settle_s: float, label: str) -> list[Figure]:
    pane = TmuxPane(world.console_command(region), bench_env(world.home))
    first_data_s, rss, peak = console_memory(pane, settle_s)
    return [
        figure("scale.rss", "6. console resident memory (VmRSS)", [rss], "MiB", at_most(250)),
        figure("scale.peak", "6. console peak memory (VmHWM)", [peak], "MiB"),
        figure(
            "scale.first_data", "6. console start → first data", [first_data_s], "s", None, label
        ),
    ]


def _discovery(backend: Backend, count: int, runs: int) -> list[Figure]:
    catalog = backend.catalog
    seconds, calls = [], []
    for _ in range(runs):
        backend.call_log.reset()
        took, refs = timed(catalog.discover)
        if len(refs) != count:
            raise RuntimeError(f"discovered {len(refs)} of {count} services")
        seconds.append(took)
        calls.append(backend.call_log.count())
    note = call_breakdown(backend.call_log.calls())
    return [
        figure("scale.discover", f"6. discovery of {count} services", seconds, "s", note=note),
        figure("scale.discover.calls", "6. discovery: API calls", calls, "calls"),
    ]


def _full_read(backend: Backend, count: int) -> Figure:
    backend.call_log.reset()
    seconds = status_read(backend, count)
    note = call_breakdown(backend.call_log.calls())
    return figure("scale.read", f"6. status read of {count} services", [seconds], "s", note=note)


async def filter_latencies(backend: Backend, text: str) -> list[float]:
    """Seconds from each key reaching the console to the first frame after the list changed."""
    keys = MessageClock(lambda message: isinstance(message, events.Key))
    app = make_app(backend, refresh_seconds=0)
    latencies = []
    async with app.run_test(size=(120, 36), message_hook=keys) as pilot:
        await settle(app)
        services = app.dashboard.query_one(ServiceList)
        fills = _fill_clock(services)
        frames = FrameClock(app)
        await pilot.press("slash")
        for key in [*text, *["backspace"] * len(text)]:
            pressed = len(keys.seen)
            await pilot.press(key)
            key_at = keys.seen[pressed][0]
            filled_at = next(at for at in fills if at > key_at)
            latencies.append(await frames.wait_after(filled_at) - key_at)
    return latencies


def _fill_clock(services: ServiceList) -> list[float]:
    """The perf_counter() at which each refill of the list finished."""
    finished: list[float] = []
    original: Callable[[], None] = services._fill

    def fill() -> None:
        original()
        finished.append(time.perf_counter())

    services._fill = fill  # type: ignore[method-assign]
    return finished


def console_memory(pane: TmuxPane, settle_s: float) -> tuple[float, float, float]:
    """A real console in tmux: seconds to its first data, then its VmRSS and VmHWM in MiB."""
    with pane:
        started = pane.launch()
        shown = pane.wait_for(data_painted, SCALE_TIMEOUT_S) - started
        # The selected service's versions load right after the first frame.
        time.sleep(settle_s)
        status = _proc_status(pane.pid)
    return shown, status["VmRSS"], status["VmHWM"]


def _proc_status(pid: int) -> dict[str, float]:
    """Memory lines of /proc/PID/status, in MiB."""
    found = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            name, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                found[name] = int(value.split()[0]) / 1024
    return found
