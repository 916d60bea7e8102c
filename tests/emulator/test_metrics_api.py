"""CloudWatch over HTTP: percentiles, ordinary statistics, gaps, 500 queries, statistics."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bgtui.emulator.clients import EmulatorClients

T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=30)
MINUTE = timedelta(minutes=1)
DIMS = [{"Name": "FunctionName", "Value": "fn"}, {"Name": "Resource", "Value": "fn:live"}]


@pytest.fixture
def cloudwatch(clean_emulator: str) -> Any:
    client = EmulatorClients(clean_emulator).cloudwatch
    durations = {
        "MetricName": "Duration",
        "Dimensions": DIMS,
        "Unit": "Milliseconds",
        "Values": [float(v) for v in range(1, 101)],
        "Counts": [1.0] * 100,
    }
    client.put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            durations | {"Timestamp": T0 + 5 * time_step}
            for time_step in (timedelta(seconds=1), MINUTE)
        ]
        + [
            {"MetricName": "Errors", "Dimensions": DIMS, "Value": 2.0, "Timestamp": T0},
            {
                "MetricName": "Errors",
                "Dimensions": DIMS,
                "Value": 3.0,
                "Timestamp": T0 + MINUTE * 2,
            },
        ],
    )
    return client


def _query(query_id: str, metric: str, stat: str, dims: list[dict[str, str]] = DIMS) -> dict:
    metric_doc = {"Namespace": "AWS/Lambda", "MetricName": metric, "Dimensions": dims}
    return {"Id": query_id, "MetricStat": {"Metric": metric_doc, "Period": 60, "Stat": stat}}


def _fetch(cloudwatch: Any, *queries: dict, **extra: Any) -> dict[str, dict[str, Any]]:
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=list(queries),
        StartTime=T0 - 5 * MINUTE,
        EndTime=T0 + 10 * MINUTE,
        **({"ScanBy": "TimestampAscending"} | extra),
    )
    return {r["Id"]: r for r in answer["MetricDataResults"]}


def test_percentiles_are_computed_per_period(cloudwatch: Any) -> None:
    found = _fetch(
        cloudwatch,
        _query("p99", "Duration", "p99"),
        _query("p50", "Duration", "p50"),
        _query("p95", "Duration", "p95"),
    )
    assert found["p99"]["Values"] == [99.0, 99.0]
    assert found["p50"]["Values"] == [50.0, 50.0]
    assert found["p95"]["Values"] == [95.0, 95.0]
    assert found["p99"]["StatusCode"] == "Complete"


def test_ordinary_statistics_still_work(cloudwatch: Any) -> None:
    found = _fetch(
        cloudwatch,
        _query("sum", "Duration", "Sum"),
        _query("avg", "Duration", "Average"),
        _query("max", "Duration", "Maximum"),
        _query("n", "Duration", "SampleCount"),
    )
    assert [found[k]["Values"][0] for k in ("sum", "avg", "max", "n")] == [5050, 50.5, 100, 100]


def test_missing_periods_are_absent_not_zero(cloudwatch: Any) -> None:
    errors = _fetch(cloudwatch, _query("e", "Errors", "Sum"))["e"]
    assert [t.astimezone(UTC) for t in errors["Timestamps"]] == [T0, T0 + 2 * MINUTE]
    assert errors["Values"] == [2.0, 3.0]


def test_newest_first_is_the_default_order(cloudwatch: Any) -> None:
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[_query("e", "Errors", "Sum")],
        StartTime=T0 - MINUTE,
        EndTime=T0 + 10 * MINUTE,
    )
    assert answer["MetricDataResults"][0]["Values"] == [3.0, 2.0]


def test_a_series_is_its_exact_dimension_set_in_any_order(cloudwatch: Any) -> None:
    reordered = list(reversed(DIMS))
    fewer = DIMS[:1]
    found = _fetch(
        cloudwatch,
        _query("same", "Errors", "Sum", reordered),
        _query("fewer", "Errors", "Sum", fewer),
    )
    assert found["same"]["Values"] == [2.0, 3.0]
    assert found["fewer"]["Values"] == []


def test_the_namespace_must_match(cloudwatch: Any) -> None:
    query = _query("other", "Errors", "Sum")
    query["MetricStat"]["Metric"]["Namespace"] = "AWS/ApiGateway"
    assert _fetch(cloudwatch, query)["other"]["Values"] == []


def test_a_unit_filter_selects_matching_samples(cloudwatch: Any) -> None:
    millis, seconds = (
        _query("ms", "Duration", "SampleCount"),
        _query("s", "Duration", "SampleCount"),
    )
    millis["MetricStat"]["Unit"], seconds["MetricStat"]["Unit"] = "Milliseconds", "Seconds"
    found = _fetch(cloudwatch, millis, seconds)
    assert found["ms"]["Values"] == [100.0, 100.0] and found["s"]["Values"] == []


def test_500_queries_in_one_call_are_fast(cloudwatch: Any) -> None:
    queries = [
        _query(f"q{i}", ("Duration", "Errors")[i % 2], ("p99", "Sum")[i % 2]) for i in range(500)
    ]
    started = time.perf_counter()
    found = _fetch(cloudwatch, *queries)
    elapsed = time.perf_counter() - started
    assert len(found) == 500 and found["q498"]["Values"] == [99.0, 99.0]
    assert elapsed < 5.0


def test_more_than_500_queries_are_refused(cloudwatch: Any) -> None:
    with pytest.raises(ClientError) as refused:
        _fetch(cloudwatch, *[_query(f"q{i}", "Errors", "Sum") for i in range(501)])
    assert "500" in refused.value.response["Error"]["Message"]


def test_an_unknown_statistic_is_refused(cloudwatch: Any) -> None:
    with pytest.raises(ClientError):
        _fetch(cloudwatch, _query("bad", "Errors", "tm99"))


def test_statistic_sets_count_in_sums(cloudwatch: Any) -> None:
    cloudwatch.put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Throttles",
                "Dimensions": DIMS,
                "Timestamp": T0,
                "StatisticValues": {"SampleCount": 4, "Sum": 10, "Minimum": 1, "Maximum": 4},
            }
        ],
    )
    found = _fetch(cloudwatch, _query("t", "Throttles", "Sum"), _query("p", "Throttles", "p99"))
    assert found["t"]["Values"] == [10.0] and found["p"]["Values"] == []


def test_get_metric_statistics_answers_extended_statistics(cloudwatch: Any) -> None:
    answer = cloudwatch.get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="Duration",
        Dimensions=DIMS,
        StartTime=T0 - MINUTE,
        EndTime=T0 + 10 * MINUTE,
        Period=60,
        Statistics=["Sum", "SampleCount"],
        ExtendedStatistics=["p99", "p90"],
    )
    points = sorted(answer["Datapoints"], key=lambda p: p["Timestamp"])
    assert len(points) == 2
    assert points[0]["ExtendedStatistics"] == {"p99": 99.0, "p90": 90.0}
    assert (points[0]["Sum"], points[0]["SampleCount"]) == (5050.0, 100.0)


def test_metrics_are_listed(cloudwatch: Any) -> None:
    listed = cloudwatch.list_metrics(Namespace="AWS/Lambda")["Metrics"]
    assert sorted(m["MetricName"] for m in listed) == ["Duration", "Errors"]


def test_an_expression_naming_a_query_returns_its_series(cloudwatch: Any) -> None:
    hidden = _query("e", "Errors", "Sum") | {"ReturnData": False}
    found = _fetch(cloudwatch, hidden, {"Id": "copy", "Expression": "e", "Label": "errors"})
    assert list(found) == ["copy"]
    assert found["copy"]["Values"] == [2.0, 3.0] and found["copy"]["Label"] == "errors"
