"""Figure 6: 1,000 functions with 50 versions — discovery, the `/` filter, the console's memory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from textual import events

from bgtui.app.backend import Backend
from bgtui.ui.app import BgtuiApp
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
    figures += _filter_figures(backend, config.filter_text)
    figures += _console_figures(world, region, config.settle_s, label)
    note = f"{label}; emulator process {world.host.resident_mib():.0f} MiB"
    created = figure("scale.created", "6. emulator: services created in-process", [created_s], "s")
    return [*figures, replace(created, note=note)]


def _filter_figures(backend: Backend, text: str) -> list[Figure]:
    strokes = asyncio.run(filter_keystrokes(backend, text))
    note = "ServiceList._fill: the rows rebuilt, synchronously"
    return [
        figure(
            "scale.filter",
            "6. `/` filter: key → list repainted",
            [k.latency * 1000 for k in strokes],
            "ms",
            at_most(50),
            f"typing {text!r}, then erasing it (run_test, headless)",
        ),
        figure(
            "scale.filter.refill",
            "6. of which the refill",
            [k.refill * 1000 for k in strokes],
            "ms",
            None,
            note,
        ),
    ]


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
    label = f"6. status read of {count} services"
    return figure("scale.read", label, [seconds], "s", at_most(3.0), note=note)


@dataclass(frozen=True)
class Keystroke:
    """One key of the filter: when it reached the console, the list refill, the next frame."""

    key_at: float
    fill: tuple[float, float]
    frame_at: float

    @property
    def latency(self) -> float:
        return self.frame_at - self.key_at

    @property
    def refill(self) -> float:
        return self.fill[1] - self.fill[0]


async def filter_keystrokes(backend: Backend, text: str) -> list[Keystroke]:
    """Type `text` into the `/` filter, then erase it, timing each key to the repainted list."""
    keys = MessageClock(lambda message: isinstance(message, events.Key))
    app = BgtuiApp(backend, refresh_seconds=0)
    strokes = []
    async with app.run_test(size=(120, 36), message_hook=keys) as pilot:
        await settle(app)
        fills = _fill_clock(app.dashboard.query_one(ServiceList))
        frames = FrameClock(app)
        await pilot.press("slash")
        for key in [*text, *["backspace"] * len(text)]:
            pressed = len(keys.seen)
            await pilot.press(key)
            key_at = keys.seen[pressed][0]
            fill = next(span for span in fills if span[0] > key_at)
            strokes.append(Keystroke(key_at, fill, await frames.wait_after(fill[1])))
    return strokes


def _fill_clock(services: ServiceList) -> list[tuple[float, float]]:
    """When each refill of the list started and finished (perf_counter())."""
    spans: list[tuple[float, float]] = []
    original: Callable[[], None] = services._fill

    def fill() -> None:
        started = time.perf_counter()
        original()
        spans.append((started, time.perf_counter()))

    services._fill = fill  # type: ignore[method-assign]
    return spans


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
