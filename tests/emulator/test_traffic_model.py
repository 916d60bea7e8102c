"""One minute of synthetic traffic: counts, error rates, latency and the exact series written."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import pytest

from bgtui.core.models import Colour
from bgtui.demo.code import BROKEN
from bgtui.demo.traffic_model import (
    PRODUCTION_RATE,
    TEST_RATE,
    ServiceSnapshot,
    calls_for,
    durations,
    minute_datums,
    production_rate,
)
from bgtui.emulator.behaviour import Behaviour
from bgtui.emulator.metric_stats import percentile
from bgtui.emulator.metric_store import Sample

AT = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def _p99(pairs: tuple[tuple[float, float], ...]) -> float | None:
    values, counts = zip(*pairs, strict=True)
    return percentile([Sample(0, values, counts)], 99)


@pytest.mark.parametrize("calls", [1, 7, 60, 130])
def test_durations_hit_the_target_p99_and_count_every_call(calls: int) -> None:
    pairs = durations(random.Random(1), calls, 200.0)
    assert sum(c for _, c in pairs) == calls
    assert 190 <= (_p99(pairs) or 0) <= 210
    assert len(pairs) <= 30


def test_healthy_calls_rarely_fail_and_broken_ones_often_do() -> None:
    rng = random.Random(3)
    healthy = [calls_for(rng, 100, Behaviour(), "f:1") for _ in range(50)]
    broken = [calls_for(rng, 100, BROKEN, "f:2") for _ in range(50)]
    assert all(c.errors <= 1 for c in healthy)
    assert all(28 <= c.errors <= 40 for c in broken)
    assert all((_p99(c.durations) or 0) >= 900 for c in broken)


def test_each_service_has_a_stable_production_rate() -> None:
    assert production_rate("payments-api") == production_rate("payments-api")
    assert PRODUCTION_RATE[0] <= production_rate("ledger-writer") <= PRODUCTION_RATE[1]


def _snapshot(**changes: object) -> ServiceSnapshot:
    base: dict[str, object] = {
        "function": "fn",
        "api_name": "fn-api",
        "colours": {Colour.BLUE: "1", Colour.GREEN: "2"},
        "live_version": "1",
        "test_stage_alias": "green",
        "behaviours": {"2": BROKEN},
    }
    return ServiceSnapshot(**(base | changes))  # type: ignore[arg-type]


def _series(datums: list) -> dict[tuple, dict[str, object]]:
    found: dict[tuple, dict[str, object]] = {}
    for d in datums:
        found.setdefault((d.namespace, d.dimensions), {})[d.metric] = d
    return found


def test_a_minute_writes_every_series_with_dimensions_in_the_agreed_order() -> None:
    series = _series(minute_datums(random.Random(5), _snapshot(), AT))
    live = (("FunctionName", "fn"), ("Resource", "fn:live"))
    assert set(series) == {
        ("AWS/Lambda", (*live, ("ExecutedVersion", "1"))),
        ("AWS/Lambda", live),
        ("AWS/Lambda", (("FunctionName", "fn"), ("Resource", "fn:blue"))),
        ("AWS/Lambda", (("FunctionName", "fn"), ("Resource", "fn:green"))),
        ("AWS/ApiGateway", (("ApiName", "fn-api"), ("Stage", "prod"))),
        ("AWS/ApiGateway", (("ApiName", "fn-api"), ("Stage", "test"))),
    }
    for (namespace, _), metrics in series.items():
        wanted = (
            {"Invocations", "Errors", "Throttles", "Duration"}
            if namespace == "AWS/Lambda"
            else {"Count", "4XXError", "5XXError", "Latency"}
        )
        assert set(metrics) == wanted


def test_the_test_stage_carries_the_traffic_of_the_colour_it_names() -> None:
    series = _series(minute_datums(random.Random(5), _snapshot(), AT))
    green = series[("AWS/Lambda", (("FunctionName", "fn"), ("Resource", "fn:green")))]
    stage = series[("AWS/ApiGateway", (("ApiName", "fn-api"), ("Stage", "test")))]
    assert stage["Count"].values == green["Invocations"].values
    assert stage["5XXError"].values == green["Errors"].values
    assert TEST_RATE[0] <= green["Invocations"].values[0] <= TEST_RATE[1]
    assert green["Errors"].values[0] >= 6


def test_production_follows_the_live_version() -> None:
    series = _series(minute_datums(random.Random(5), _snapshot(live_version="2"), AT))
    live = (("FunctionName", "fn"), ("Resource", "fn:live"), ("ExecutedVersion", "2"))
    production = series[("AWS/Lambda", live)]
    calls, errors = production["Invocations"].values[0], production["Errors"].values[0]
    assert math.isclose(errors / calls, 0.34, abs_tol=0.07)


def test_missing_aliases_and_api_write_only_what_exists() -> None:
    datums = minute_datums(
        random.Random(5), _snapshot(api_name="", live_version=None, colours={}), AT
    )
    assert datums == []


def test_api_payloads_use_value_or_values_with_counts() -> None:
    datums = minute_datums(random.Random(5), _snapshot(), AT)
    invocations = next(d for d in datums if d.metric == "Invocations").to_api()
    duration = next(d for d in datums if d.metric == "Duration").to_api()
    assert "Value" in invocations and "Values" not in invocations
    assert len(duration["Values"]) == len(duration["Counts"]) <= 150
    assert duration["Unit"] == "Milliseconds" and duration["Timestamp"] == AT


def test_the_same_seed_gives_the_same_minute() -> None:
    first = minute_datums(random.Random(9), _snapshot(), AT)
    second = minute_datums(random.Random(9), _snapshot(), AT)
    assert first == second
