"""Figure 2: the API calls and wall time of one status read, for 1, 10 and 100 services."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from bgtui.adapters.aws.call_log import ApiCall
from bgtui.app.backend import Backend
from bgtui.core.models import ServiceState
from tests.bench.figures import Figure, figure, timed
from tests.bench.world import BenchConfig, BenchWorld

VERSIONS = 3


class ReadFailed(RuntimeError):
    """A status read did not return every service."""


def status_read(backend: Backend, expected: int) -> float:
    """One `discover()` + `read_many()`; its seconds. Every service must read cleanly."""
    catalog = backend.catalog
    seconds, states = timed(lambda: catalog.read_many(catalog.discover()))
    read = [s for s in states if isinstance(s, ServiceState)]
    if len(read) != expected or len(states) != expected:
        raise ReadFailed(f"read {len(read)} of {expected} services: {states[:1]}")
    return seconds


def call_breakdown(calls: Sequence[ApiCall]) -> str:
    """`ListAliases 10 (41 ms) · DescribeAlarms 1 (900 ms) · …`: count and median duration."""
    durations: dict[str, list[float]] = {}
    for call in calls:
        durations.setdefault(call.name.partition(":")[2], []).append(call.duration_s)
    return " · ".join(
        f"{name} {len(found)} ({statistics.median(found) * 1000:.0f} ms)"
        for name, found in sorted(durations.items(), key=lambda item: -len(item[1]))
    )


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    figures: list[Figure] = []
    region, created = world.region(), 0
    for size in config.status_sizes:
        world.host.add_services(region, size - created, VERSIONS)
        created = size
        figures += _size_figures(world.backend(region), size, config.runs)
    return figures


def _size_figures(backend: Backend, size: int, runs: int) -> list[Figure]:
    cold = status_read(backend, size)
    seconds, calls = [], []
    for _ in range(runs):
        backend.call_log.reset()
        seconds.append(status_read(backend, size))
        calls.append(backend.call_log.count())
    breakdown = call_breakdown(backend.call_log.calls())
    label = f"2. status read, {size} service{'s' if size > 1 else ''}"
    return [
        figure(f"status.{size}.calls", f"{label}: API calls", calls, "calls", note=breakdown),
        figure(
            f"status.{size}.time",
            f"{label}: wall time",
            [s * 1000 for s in seconds],
            "ms",
            note=f"warm clients; the first read took {cold * 1000:.0f} ms",
        ),
    ]
