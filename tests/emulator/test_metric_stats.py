"""CloudWatch statistics over stored samples."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bgtui.emulator.metric_stats import (
    by_period,
    is_supported,
    percentile,
    period_values,
    statistic,
)
from bgtui.emulator.metric_store import MetricStore, Sample, StatSet, series_key


def _values(at: float, *values: float) -> Sample:
    return Sample(at, tuple(values), (1.0,) * len(values))


def test_percentiles_use_nearest_rank() -> None:
    samples = [_values(0, *range(1, 101))]
    assert percentile(samples, 99) == 99
    assert percentile(samples, 50) == 50
    assert percentile(samples, 100) == 100
    assert percentile(samples, 0) == 1


def test_percentiles_honour_counts_across_samples() -> None:
    samples = [Sample(0, (10.0, 500.0), (98.0, 2.0)), Sample(5, (20.0,), (0.0,))]
    assert percentile(samples, 98) == 10
    assert percentile(samples, 99) == 500


def test_statistic_sets_have_totals_but_no_percentiles() -> None:
    stats = [Sample.statistic_set(0, StatSet(total=30, count=3, minimum=5, maximum=15))]
    assert statistic(stats, "Sum") == 30
    assert statistic(stats, "Average") == 10
    assert (statistic(stats, "Minimum"), statistic(stats, "Maximum")) == (5, 15)
    assert statistic(stats, "p99") is None


def test_simple_statistics() -> None:
    samples = [_values(0, 1, 2), _values(10, 6)]
    assert [
        statistic(samples, s) for s in ("Sum", "SampleCount", "Average", "Minimum", "Maximum")
    ] == [
        9,
        3,
        3,
        1,
        6,
    ]
    assert statistic([], "Sum") is None


def test_supported_statistics() -> None:
    assert all(is_supported(s) for s in ("Sum", "p99", "p99.9", "p50", "p100", "SampleCount"))
    assert not any(is_supported(s) for s in ("p101", "tm99", "sum", "p", "IQM"))


def test_periods_align_to_the_epoch_and_empty_periods_are_absent() -> None:
    samples = [_values(61, 1), _values(119, 2), _values(245, 5)]
    assert [start for start, _ in by_period(samples, 60)] == [60, 240]
    assert period_values(samples, "Sum", 60) == [(60, 3), (240, 5)]


def test_the_store_reads_ranges_in_time_order_whatever_the_write_order() -> None:
    store = MetricStore()
    key = series_key("AWS/Lambda", "Errors", [("A", "1"), ("B", "2")])
    assert store.add(key, _values(120, 3))
    assert not store.add(key, _values(60, 1))
    store.add(key, _values(180, 9))
    assert [s.timestamp for s in store.between(key, 60, 180)] == [60, 120]
    assert series_key("AWS/Lambda", "Errors", [("B", "2"), ("A", "1")]) == key
    assert store.between(series_key("AWS/Lambda", "Errors", [("A", "1")]), 0, 999) == []


@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 5)), min_size=1, max_size=40),
    st.floats(0, 100),
)
def test_weighted_percentile_equals_the_percentile_of_the_expanded_values(
    pairs: list[tuple[int, int]], rank: float
) -> None:
    weighted = [Sample(0, (float(v),), (float(c),)) for v, c in pairs]
    expanded = [_values(0, *[float(v) for v, c in pairs for _ in range(c)])]
    assert percentile(weighted, rank) == percentile(expanded, rank)
