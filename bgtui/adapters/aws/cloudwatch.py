"""CloudWatch through boto3: alarm states by exact name, and every series of a refresh at once."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import BadInput
from bgtui.core.models import AlarmState
from bgtui.core.ports import MetricQuery, MetricSeries

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.type_defs import (
        DimensionTypeDef,
        MetricDataQueryTypeDef,
        MetricStatTypeDef,
        MetricTypeDef,
    )

# DescribeAlarms takes at most 100 AlarmNames (botocore's CloudWatch model).
MAX_ALARM_NAMES_PER_CALL = 100
MAX_QUERIES_PER_CALL = 500
_QUERY_ID = re.compile(r"^[a-z][a-zA-Z0-9_]{0,254}$")


class CloudWatchAlarms:
    """AlarmsPort over DescribeAlarms, by exact alarm name."""

    def __init__(self, context: AwsContext) -> None:
        self._aws = context

    def alarm_states(self, names: Sequence[str]) -> list[AlarmState]:
        """The metric alarms of these names that exist, 100 names a call: IAM scopes the read
        by alarm name, and a listing would read every alarm in the region."""
        wanted = list(dict.fromkeys(name for name in names if name))
        found: list[AlarmState] = []
        for first in range(0, len(wanted), MAX_ALARM_NAMES_PER_CALL):
            found += self._describe(wanted[first : first + MAX_ALARM_NAMES_PER_CALL])
        return found

    def _describe(self, names: Sequence[str]) -> list[AlarmState]:
        paginator = self._aws.client("cloudwatch").get_paginator("describe_alarms")
        more = f" and {len(names) - 1} more" if len(names) > 1 else ""
        with aws_errors("read", f"alarm {names[0]}{more}", service="cloudwatch"):
            pages = list(
                paginator.paginate(
                    AlarmNames=list(names),
                    AlarmTypes=["MetricAlarm"],
                    PaginationConfig={"PageSize": MAX_ALARM_NAMES_PER_CALL},
                )
            )
        return [_alarm_state(alarm) for page in pages for alarm in page.get("MetricAlarms", [])]


def _alarm_state(alarm: Mapping[str, Any]) -> AlarmState:
    name, state = str(alarm.get("AlarmName", "")), str(alarm.get("StateValue", ""))
    since = alarm.get("StateUpdatedTimestamp")
    return AlarmState(
        name,
        state,
        scope="",
        reason=str(alarm.get("StateReason", "")),
        since=since.astimezone(UTC) if isinstance(since, datetime) else None,
    )


class CloudWatchMetrics:
    """MetricsPort over GetMetricData: one call for up to 500 series."""

    def __init__(self, context: AwsContext) -> None:
        self._aws = context

    def fetch(
        self, queries: Sequence[MetricQuery], start: datetime, end: datetime
    ) -> dict[str, MetricSeries]:
        """Datapoints per query id, oldest first; periods without data are absent, not zero."""
        check_queries(queries, start, end)
        points: dict[str, dict[datetime, float]] = {query.id: {} for query in queries}
        for batch in _batches(queries):
            for result in self._results(batch, start, end):
                series = points[result["Id"]]
                for stamp, value in zip(result["Timestamps"], result["Values"], strict=True):
                    series.setdefault(stamp.astimezone(UTC), float(value))
        return {query_id: _series(query_id, found) for query_id, found in points.items()}

    def _results(
        self, batch: Sequence[MetricQuery], start: datetime, end: datetime
    ) -> Iterator[Mapping[str, Any]]:
        paginator = self._aws.client("cloudwatch").get_paginator("get_metric_data")
        with aws_errors("read", f"{len(batch)} metric series", service="cloudwatch"):
            pages = list(
                paginator.paginate(
                    MetricDataQueries=[_metric_data_query(query) for query in batch],
                    StartTime=start,
                    EndTime=end,
                    ScanBy="TimestampAscending",
                )
            )
        for page in pages:
            yield from page.get("MetricDataResults", [])


def check_queries(queries: Sequence[MetricQuery], start: datetime, end: datetime) -> None:
    """Refuse ids GetMetricData would reject, duplicates and an empty time range."""
    seen: set[str] = set()
    for query in queries:
        if not _QUERY_ID.match(query.id):
            raise BadInput(f"metric query id {query.id!r} must match ^[a-z][a-zA-Z0-9_]*$")
        if query.id in seen:
            raise BadInput(f"metric query id {query.id!r} is used twice")
        seen.add(query.id)
        if query.period <= 0:
            raise BadInput(f"metric query {query.id} needs a positive period")
    if end <= start:
        raise BadInput(f"metric range ends ({end:%H:%M}) before it starts ({start:%H:%M})")


def _metric_data_query(query: MetricQuery) -> MetricDataQueryTypeDef:
    # CloudWatch (and the emulator) match dimensions in the order they were written.
    dimensions: list[DimensionTypeDef] = [
        {"Name": name, "Value": value} for name, value in query.dimensions
    ]
    metric: MetricTypeDef = {
        "Namespace": query.namespace,
        "MetricName": query.metric,
        "Dimensions": dimensions,
    }
    stat: MetricStatTypeDef = {"Metric": metric, "Period": query.period, "Stat": query.stat}
    return {"Id": query.id, "MetricStat": stat, "ReturnData": True}


def _batches(queries: Sequence[MetricQuery]) -> Iterator[Sequence[MetricQuery]]:
    for first in range(0, len(queries), MAX_QUERIES_PER_CALL):
        yield queries[first : first + MAX_QUERIES_PER_CALL]


def _series(query_id: str, points: Mapping[datetime, float]) -> MetricSeries:
    stamps = sorted(points)
    return MetricSeries(query_id, tuple(stamps), tuple(points[stamp] for stamp in stamps))
