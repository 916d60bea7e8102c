"""CloudWatch metric data in an indexed store: percentiles, exact dimension sets, fast reads."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from moto.cloudwatch.exceptions import (
    InvalidParameterCombination,
    InvalidParameterValue,
    ValidationError,
)
from moto.cloudwatch.metric_data_expression_parser import parse_expression
from moto.cloudwatch.models import CloudWatchBackend, MetricAggregatedDatum
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

from bgtui.emulator.metric_stats import SIMPLE_STATS, is_supported, period_values
from bgtui.emulator.metric_store import MetricStore, Sample, SeriesKey, StatSet, series_key

MAX_QUERIES = 500


def store_of(backend: CloudWatchBackend) -> MetricStore:
    """The backend's store, created on first use (a reset replaces backends, and so stores)."""
    store: MetricStore = backend.__dict__.setdefault("_bgtui_metric_store", MetricStore())
    return store


def epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    if isinstance(value, int | float):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def _as_datetime(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def _dimension_pairs(dimensions: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(str(d["Name"]), str(d.get("Value", ""))) for d in dimensions]


def _sample(member: dict[str, Any], now: float) -> Sample:
    at = epoch(member["Timestamp"]) if member.get("Timestamp") else now
    unit = member.get("Unit")
    if member.get("Values"):
        values = tuple(float(v) for v in member["Values"])
        counts = tuple(float(c) for c in member.get("Counts") or [1.0] * len(values))
        return Sample(at, values, counts, unit)
    stats = member.get("StatisticValues")
    if stats:
        stat_set = StatSet(
            float(stats["Sum"]),
            float(stats["SampleCount"]),
            float(stats["Minimum"]),
            float(stats["Maximum"]),
        )
        return Sample.statistic_set(at, stat_set, unit)
    return Sample(at, (float(member.get("Value", 0.0)),), (1.0,), unit)


def put_metric_data(self: CloudWatchBackend, namespace: str, metric_data: list[Any]) -> None:
    if len(metric_data) > 1000:
        raise InvalidParameterValue("The collection MetricData must not have a size above 1000.")
    for index, member in enumerate(metric_data):
        self._validate_parameters_put_metric_data(member, index + 1)
    store, now = store_of(self), datetime.now(UTC).timestamp()
    for member in metric_data:
        dimensions = member.get("Dimensions") or []
        key = series_key(namespace, member["MetricName"], _dimension_pairs(dimensions))
        sample = _sample(member, now)
        if store.add(key, sample):
            self.metric_data.append(_listing_entry(namespace, member, sample))


def _listing_entry(namespace: str, member: dict[str, Any], sample: Sample) -> Any:
    """One moto datum per series, so that ListMetrics keeps working."""
    return MetricAggregatedDatum(
        namespace=namespace,
        name=member["MetricName"],
        min_stat=sample.minimum,
        max_stat=sample.maximum,
        sample_count=sample.count,
        sum_stat=sample.total,
        dimensions=member.get("Dimensions") or [],
        timestamp=_as_datetime(sample.timestamp),
        unit=member.get("Unit"),
    )


def _samples(
    store: MetricStore, key: SeriesKey, start: float, end: float, period: int, unit: Any
) -> list[Sample]:
    # Periods are aligned to the epoch, as CloudWatch aligns them for recent data.
    found = store.between(key, start - start % period, end)
    return [s for s in found if s.unit == unit] if unit else found


def _stat_result(store: MetricStore, query: dict[str, Any], start: float, end: float) -> Any:
    metric_stat = query["MetricStat"]
    metric, stat = metric_stat["Metric"], metric_stat["Stat"]
    if not is_supported(stat):
        raise InvalidParameterValue(f"The statistic {stat} is not supported.")
    period = int(metric_stat["Period"])
    dims = _dimension_pairs(metric.get("Dimensions") or [])
    key = series_key(metric["Namespace"], metric["MetricName"], dims)
    samples = _samples(store, key, start, end, period, metric_stat.get("Unit"))
    points = period_values(samples, stat, period)
    label = query.get("Label") or metric["MetricName"]
    return _result(query["Id"], label, points)


def _result(query_id: str, label: str, points: list[tuple[float, float]]) -> dict[str, Any]:
    return {
        "id": query_id,
        "label": label,
        "timestamps": [_as_datetime(at) for at, _ in points],
        "values": [value for _, value in points],
        "status_code": "Complete",
    }


def _expression_result(query: dict[str, Any], computed: list[dict[str, Any]]) -> dict[str, Any]:
    expression = query["Expression"]
    values: list[Any] = []
    stamps: list[Any] = []
    if not expression.startswith("SELECT"):
        values, stamps = parse_expression(expression, computed)
    result = _result(query["Id"], query.get("Label") or query["Id"], [])
    result.update(values=values, timestamps=stamps)
    return result


def get_metric_data(
    self: CloudWatchBackend,
    queries: list[dict[str, Any]],
    start_time: datetime,
    end_time: datetime,
    scan_by: str = "TimestampAscending",
) -> list[dict[str, Any]]:
    start, end = epoch(start_time), epoch(end_time)
    if start >= end:
        raise ValidationError("The parameter EndTime must be greater than StartTime.")
    if len(queries) > MAX_QUERIES:
        raise ValidationError(
            f"The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}."
        )
    store = store_of(self)
    computed = [_stat_result(store, q, start, end) for q in queries if "MetricStat" in q]
    by_id = {r["id"]: r for r in computed}
    for query in queries:
        if "Expression" in query:
            by_id[query["Id"]] = _expression_result(query, computed)
    returned = [by_id[q["Id"]] for q in queries if q.get("ReturnData", True)]
    if scan_by == "TimestampDescending":
        for result in returned:
            result["timestamps"] = result["timestamps"][::-1]
            result["values"] = result["values"][::-1]
    return returned


def get_metric_data_response(self: CloudWatchResponse) -> Any:
    params = self._get_params()
    queries = params.get("MetricDataQueries", [])
    for query in queries:
        if "MetricStat" not in query and "Expression" not in query:
            raise ValidationError(
                "The parameter MetricDataQueries.member.1.MetricStat is required."
            )
    results = self.cloudwatch_backend.get_metric_data(
        queries,
        params["StartTime"],
        params["EndTime"],
        params.get("ScanBy") or "TimestampDescending",
    )
    if not self.headers.get("Content-Type", "").startswith("application/x-amz-json"):
        return ActionResult({"MetricDataResults": results})
    # moto's generic serializer needs a second or more for 500 series; JSON is written directly.
    body = {"MetricDataResults": [_json_result(r) for r in results], "Messages": []}
    return 200, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(body)


def _json_result(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "Id": result["id"],
        "Label": result["label"],
        "Timestamps": [at.timestamp() for at in result["timestamps"]],
        "Values": result["values"],
        "StatusCode": result["status_code"],
    }


def _datapoints(samples: list[Sample], stats: list[str], period: int, unit: Any) -> list[Any]:
    columns = {stat: dict(period_values(samples, stat, period)) for stat in stats}
    starts = sorted({at for values in columns.values() for at in values})
    points = []
    for at in starts:
        point: dict[str, Any] = {"Timestamp": _as_datetime(at), "Unit": unit or "None"}
        for stat, values in columns.items():
            if at not in values:
                continue
            if stat in SIMPLE_STATS:
                point[stat] = values[at]
            else:
                point.setdefault("ExtendedStatistics", {})[stat] = values[at]
        points.append(point)
    return points


def get_metric_statistics(self: CloudWatchResponse) -> ActionResult:
    statistics = self._get_param("Statistics", []) or []
    extended = self._get_param("ExtendedStatistics", []) or []
    if not statistics and not extended:
        raise InvalidParameterCombination("Must specify either Statistics or ExtendedStatistics")
    if any(not is_supported(stat) for stat in [*statistics, *extended]):
        raise InvalidParameterValue("The statistics requested are not supported.")
    start, end = epoch(self._get_param("StartTime")), epoch(self._get_param("EndTime"))
    if start >= end:
        raise InvalidParameterValue(
            "The parameter StartTime must be less than the parameter EndTime."
        )
    metric_name, period = self._get_param("MetricName"), self._get_int_param("Period")
    dims = _dimension_pairs(self._get_param("Dimensions", []) or [])
    key = series_key(self._get_param("Namespace"), metric_name, dims)
    unit = self._get_param("Unit")
    samples = _samples(store_of(self.cloudwatch_backend), key, start, end, period, unit)
    points = _datapoints(samples, [*statistics, *extended], period, unit)
    return ActionResult({"Label": metric_name, "Datapoints": points})


def _direct_json_parse(original: Callable[..., None]) -> Callable[..., None]:
    """PutMetricData JSON bodies already have the parsed shape: read them without moto's walk.

    moto's generic parser spends a quarter of a millisecond per datum; a one-hour back-fill
    writes thousands of them.
    """

    def parse_parameters(self: CloudWatchResponse, request: Any) -> None:
        json_body = request.content_type.startswith("application/x-amz-json")
        if json_body and self._get_action() == "PutMetricData":
            self.params = json.loads(request.data or b"{}")
            return
        original(self, request)

    return parse_parameters


def apply() -> None:
    CloudWatchResponse.parse_parameters = _direct_json_parse(  # type: ignore[method-assign]
        CloudWatchResponse.parse_parameters
    )
    CloudWatchBackend.put_metric_data = put_metric_data  # type: ignore[method-assign]
    CloudWatchBackend.get_metric_data = get_metric_data  # type: ignore[method-assign]
    CloudWatchResponse.get_metric_statistics = get_metric_statistics  # type: ignore[method-assign]
    CloudWatchResponse.get_metric_data = get_metric_data_response  # type: ignore[method-assign]
