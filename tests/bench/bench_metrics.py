"""Figure 4: one metrics refresh of the console — its GetMetricData calls and its paint time.

The refresh measured is the largest the console makes regularly: every series of the
selected service and a glance at every other row on screen, all due at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from bgtui.app.backend import Backend
from bgtui.core.metrics import HealthWindow
from bgtui.ui.app import BgtuiApp
from bgtui.ui.messages import HealthRead
from tests.bench.bench_status import VERSIONS
from tests.bench.console_probe import FrameClock, MessageClock, settle
from tests.bench.figures import Figure, at_most, figure
from tests.bench.world import BenchConfig, BenchWorld

PAINT_TIMEOUT_S = 30.0


@dataclass
class RefreshSamples:
    """Per refresh: GetMetricData calls, series asked for, and seconds from answer to paint."""

    calls: list[float] = field(default_factory=list)
    series: list[float] = field(default_factory=list)
    paint_s: list[float] = field(default_factory=list)
    frame_s: list[float] = field(default_factory=list)
    """The same span to the first frame composed after the message (a cross-check)."""
    points: list[float] = field(default_factory=list)


async def console_refreshes(backend: Backend, refreshes: int) -> RefreshSamples:
    """Refresh the console `refreshes` times after its first (cold) refresh, one at a time."""
    app = BgtuiApp(backend, refresh_seconds=0)
    samples = RefreshSamples()
    answers = MessageClock(lambda message: isinstance(message, HealthRead))
    async with app.run_test(size=(120, 36), message_hook=answers):
        await settle(app)
        frames = FrameClock(app)
        for _ in range(refreshes):
            backend.call_log.reset()
            painted = len(app.paint_latencies)
            app.schedule.forget()  # every row on screen due: the largest regular fetch
            app.refresh_now()
            await settle(app)
            await _painted(app.paint_latencies, painted)
            handled_at, answer = answers.seen[-1]
            assert isinstance(answer, HealthRead) and app.model.health is answer.snapshot
            samples.frame_s.append(await frames.wait_after(handled_at) - answer.received)
            samples.calls.append(backend.call_log.count("cloudwatch:GetMetricData"))
            samples.series.append(answer.snapshot.queries)
            samples.paint_s.append(app.paint_latencies[-1])
            samples.points.append(_points(answer.snapshot.windows))
    return samples


async def _painted(latencies: list[float], before: int) -> None:
    deadline = time.perf_counter() + PAINT_TIMEOUT_S
    while len(latencies) == before:
        if time.perf_counter() > deadline:
            raise TimeoutError("the refreshed metrics were never painted")
        await asyncio.sleep(0.005)


def _points(windows: Mapping[str, HealthWindow]) -> int:
    """Datapoints that arrived (not gaps), to show the refresh carried real data."""
    found = 0
    for window in windows.values():
        for group in window.groups.values():
            for series in group.series.values():
                found += sum(1 for value in series.values if value is not None)
    return found


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    region = world.region()
    world.host.add_services(region, config.metrics_services, VERSIONS)
    world.host.traffic_round(region)
    samples = asyncio.run(console_refreshes(world.backend(region), config.refreshes))
    series = int(max(samples.series))
    points = int(min(samples.points))
    return [
        figure(
            "metrics.calls",
            f"4. metrics refresh: GetMetricData calls for {series} series",
            samples.calls,
            "calls",
            at_most(1),
            f"{config.metrics_services} services: the selected in full, the others at a glance;"
            f" ≥ {points} datapoints",
        ),
        figure(
            "metrics.paint",
            "4. metrics refresh: answer → sparklines painted",
            [s * 1000 for s in samples.paint_s],
            "ms",
            at_most(30),
            "worker's HealthRead to the frame after it (run_test, 120x36)",
        ),
        figure(
            "metrics.frame",
            "4. the same, to the first frame composed after it",
            [s * 1000 for s in samples.frame_s],
            "ms",
            note="cross-check of the console's own measure, by the frame clock",
        ),
    ]
