"""CloudWatch datapoints kept per series (namespace, metric, dimension set), in time order."""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass

SeriesKey = tuple[str, str, frozenset[tuple[str, str]]]


class Sample:
    """One PutMetricData member: raw values with their counts, or a statistic set.

    The aggregates are computed once, on write, because reads take many more of them.
    """

    __slots__ = (
        "count",
        "counts",
        "cumulative",
        "maximum",
        "minimum",
        "ranked",
        "timestamp",
        "total",
        "unit",
        "values",
    )

    def __init__(
        self,
        timestamp: float,
        values: tuple[float, ...] = (),
        counts: tuple[float, ...] = (),
        unit: str | None = None,
    ) -> None:
        if len(values) != len(counts):
            raise ValueError("values and counts must have the same length")
        self.timestamp = timestamp
        self.values = values
        self.counts = counts
        self.unit = unit
        self.count = float(sum(counts))
        self.total = float(sum(v * c for v, c in zip(values, counts, strict=True)))
        self.minimum = min(values) if values else 0.0
        self.maximum = max(values) if values else 0.0
        # Values in ascending order with running counts: a percentile is then one bisect.
        self.ranked = tuple(sorted(zip(values, counts, strict=True)))
        self.cumulative = tuple(itertools.accumulate(c for _, c in self.ranked))

    @classmethod
    def statistic_set(cls, timestamp: float, stats: StatSet, unit: str | None = None) -> Sample:
        """A pre-aggregated member: it has totals and extremes but no distribution."""
        sample = cls(timestamp, unit=unit)
        sample.count, sample.total = stats.count, stats.total
        sample.minimum, sample.maximum = stats.minimum, stats.maximum
        return sample


@dataclass(frozen=True)
class StatSet:
    """The StatisticValues of a PutMetricData member."""

    total: float
    count: float
    minimum: float
    maximum: float


def series_key(namespace: str, metric: str, dimensions: Iterable[tuple[str, str]]) -> SeriesKey:
    """CloudWatch identifies a series by its exact set of dimensions, in any order."""
    return (namespace, metric, frozenset(dimensions))


class _Series:
    __slots__ = ("samples", "timestamps")

    def __init__(self) -> None:
        self.timestamps: list[float] = []
        self.samples: list[Sample] = []

    def add(self, sample: Sample) -> None:
        at = bisect.bisect_right(self.timestamps, sample.timestamp)
        self.timestamps.insert(at, sample.timestamp)
        self.samples.insert(at, sample)

    def between(self, start: float, end: float) -> list[Sample]:
        low = bisect.bisect_left(self.timestamps, start)
        high = bisect.bisect_left(self.timestamps, end)
        return self.samples[low:high]


class MetricStore:
    """Every series of one account and region, each sorted by timestamp for range reads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._series: dict[SeriesKey, _Series] = {}

    def add(self, key: SeriesKey, sample: Sample) -> bool:
        """Store one sample; True when it starts a new series."""
        with self._lock:
            series = self._series.get(key)
            created = series is None
            if series is None:
                series = self._series[key] = _Series()
            series.add(sample)
            return created

    def between(self, key: SeriesKey, start: float, end: float) -> list[Sample]:
        """Samples of one series with start <= timestamp < end, oldest first."""
        with self._lock:
            series = self._series.get(key)
            return series.between(start, end) if series else []

    def __len__(self) -> int:
        return len(self._series)
