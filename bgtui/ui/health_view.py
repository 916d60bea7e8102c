"""Per-colour health series shaped for drawing: which series, on what scale, latest reading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bgtui.core.metrics import HealthWindow, Points
from bgtui.core.models import Colour
from bgtui.ui.spark import full_scale

# (row label, metric) in the order the panels draw them.
METRICS = (("err%", "error_rate"), ("p99", "p99"), ("req", "invocations"), ("thr", "throttles"))
TRAFFIC_TITLES = {"prod": "production (via live)", "test": "test (own alias)"}


def series(window: HealthWindow | None, group: str, metric: str) -> Points:
    """One metric of one group (`blue:prod`, `stage:prod`); the error rate is derived."""
    if window is None:
        return ()
    health = window.group(group)
    if metric == "error_rate":
        return health.error_rate().values
    if metric == "e5xx_rate":
        return health.error_rate("e5xx", "count").values
    return health.get(metric).values


def latest_complete(values: Points, incomplete: int) -> float | None:
    """The newest value of a minute CloudWatch has finished filling."""
    usable = values[: max(len(values) - incomplete, 0)]
    return next((v for v in reversed(usable) if v is not None), None)


@dataclass(frozen=True)
class Scales:
    """One full scale per (traffic, metric), shared by both colours so bars compare honestly."""

    tops: dict[tuple[str, str], float]

    def top(self, traffic: str, metric: str) -> float:
        return self.tops.get((traffic, metric), 1.0)


def shared_scales(
    window: HealthWindow | None, traffics: Sequence[str] = ("prod", "test")
) -> Scales:
    tops = {}
    for traffic in traffics:
        for _, metric in METRICS:
            both = [series(window, f"{c.value}:{traffic}", metric) for c in Colour]
            tops[(traffic, metric)] = full_scale(metric, *both)
    return Scales(tops)
