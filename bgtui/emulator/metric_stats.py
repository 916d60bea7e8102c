"""CloudWatch statistics over stored samples: simple ones, percentiles, per-period series."""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections.abc import Sequence

from bgtui.emulator.metric_store import Sample

SIMPLE_STATS = ("Sum", "Average", "Minimum", "Maximum", "SampleCount")
_PERCENTILE = re.compile(r"^p(100|\d{1,2}(\.\d+)?)$")


def is_supported(stat: str) -> bool:
    return stat in SIMPLE_STATS or _PERCENTILE.match(stat) is not None


def statistic(samples: Sequence[Sample], stat: str) -> float | None:
    """One statistic over the samples; None when they cannot give one (no data)."""
    if stat[0] == "p":
        return percentile(samples, float(stat[1:]))
    count = sum(s.count for s in samples)
    if not count:
        return None
    if stat == "Sum":
        return sum(s.total for s in samples)
    if stat == "SampleCount":
        return count
    if stat == "Average":
        return sum(s.total for s in samples) / count
    if stat == "Minimum":
        return min(s.minimum for s in samples if s.count)
    return max(s.maximum for s in samples if s.count)


def percentile(samples: Sequence[Sample], rank_percent: float) -> float | None:
    """Nearest-rank percentile of the raw values; statistic sets carry no distribution."""
    ranked = [s for s in samples if s.ranked]
    if len(ranked) == 1:
        return _single_percentile(ranked[0], rank_percent)
    total = sum(s.cumulative[-1] for s in ranked)
    if not total:
        return None
    wanted, seen = _wanted_rank(rank_percent, total), 0.0
    for value, count in heapq.merge(*(s.ranked for s in ranked)):
        seen += count
        if seen >= wanted:
            return value
    return None


def _single_percentile(sample: Sample, rank_percent: float) -> float | None:
    total = sample.cumulative[-1]
    if not total:
        return None
    at = bisect.bisect_left(sample.cumulative, _wanted_rank(rank_percent, total))
    return sample.ranked[min(at, len(sample.ranked) - 1)][0]


def _wanted_rank(rank_percent: float, total: float) -> float:
    return max(1.0, math.ceil(rank_percent / 100 * total))


def by_period(samples: Sequence[Sample], period: int) -> list[tuple[float, list[Sample]]]:
    """Samples grouped by period start (periods aligned to the epoch), oldest first."""
    groups: dict[float, list[Sample]] = {}
    for sample in samples:
        start = sample.timestamp - sample.timestamp % period
        groups.setdefault(start, []).append(sample)
    return sorted(groups.items())


def period_values(samples: Sequence[Sample], stat: str, period: int) -> list[tuple[float, float]]:
    """(period start, value) for every period that has a value; empty periods are absent."""
    found = []
    for start, group in by_period(samples, period):
        value = statistic(group, stat)
        if value is not None:
            found.append((start, value))
    return found
