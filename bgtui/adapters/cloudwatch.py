"""CloudWatch through boto3: alarm states by name prefix, and every series of a refresh at once."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from bgtui.adapters.errors import DENIED_CODES, aws_errors
from bgtui.adapters.session import AwsContext
from bgtui.core.models import AlarmState
from bgtui.core.ports import MetricQuery, MetricSeries
from bgtui.errors import BadInput

ALARM_SCOPES = frozenset({"blue", "green", "live"})
MAX_QUERIES_PER_CALL = 500
_QUERY_ID = re.compile(r"^[a-z][a-zA-Z0-9_]{0,254}$")


class CloudWatchAlarms:
    """AlarmsPort over DescribeAlarms; alarm names are `<prefix><scope>-<metric>`."""

    def __init__(self, context: AwsContext) -> None:
        self._aws = context
        self._per_prefix = False
        """Set once AWS refused to list every alarm: the caller may read only its own services'
        alarms (the module's policies grant `alarm:<prefix>*`), so ask prefix by prefix."""

    def alarm_states(self, prefixes: Sequence[str]) -> list[AlarmState]:
        """Metric alarms named `<prefix><scope>-<metric>`; other names are not bgtui's alarms."""
        wanted = sorted({prefix for prefix in prefixes if prefix}, key=len, reverse=True)
        if not wanted:
            return []
        alarms = None if len(wanted) == 1 or self._per_prefix else self._every_alarm(wanted)
        if alarms is None:
            found = (alarm for prefix in wanted for alarm in self._describe(prefix))
            alarms = list({str(alarm.get("AlarmName")): alarm for alarm in found}.values())
        return [state for alarm in alarms if (state := _alarm_state(alarm, wanted))]

    def _every_alarm(self, wanted: Sequence[str]) -> list[Mapping[str, Any]] | None:
        """All metric alarms in one query (one call for any number of services); None when
        the caller may not list them all."""
        paginator = self._aws.client("cloudwatch").get_paginator("describe_alarms")
        with aws_errors("read", f"alarms named {', '.join(wanted)}*", service="cloudwatch"):
            try:
                pages = list(paginator.paginate(AlarmTypes=["MetricAlarm"]))
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in DENIED_CODES:
                    raise
                self._per_prefix = True
                return None
        return [alarm for page in pages for alarm in page.get("MetricAlarms", [])]

    def _describe(self, prefix: str) -> list[Mapping[str, Any]]:
        paginator = self._aws.client("cloudwatch").get_paginator("describe_alarms")
        with aws_errors("read", f"alarms named {prefix}*", service="cloudwatch"):
            pages = list(paginator.paginate(AlarmTypes=["MetricAlarm"], AlarmNamePrefix=prefix))
        return [alarm for page in pages for alarm in page.get("MetricAlarms", [])]


def _alarm_state(alarm: Mapping[str, Any], prefixes: Sequence[str]) -> AlarmState | None:
    name = str(alarm.get("AlarmName", ""))
    # Longest prefix first, so `fn-v2-` wins over `fn-` for `fn-v2-blue-errors`.
    for prefix in prefixes:
        if not name.startswith(prefix):
            continue
        scope, _, metric = name[len(prefix) :].partition("-")
        if scope in ALARM_SCOPES and metric:
            reason = str(alarm.get("StateReason", ""))
            return AlarmState(name, str(alarm.get("StateValue", "")), scope, metric, reason)
    return None


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


def _metric_data_query(query: MetricQuery) -> dict[str, Any]:
    # CloudWatch (and the emulator) match dimensions in the order they were written.
    dimensions = [{"Name": name, "Value": value} for name, value in query.dimensions]
    metric = {"Namespace": query.namespace, "MetricName": query.metric, "Dimensions": dimensions}
    return {
        "Id": query.id,
        "MetricStat": {"Metric": metric, "Period": query.period, "Stat": query.stat},
        "ReturnData": True,
    }


def _batches(queries: Sequence[MetricQuery]) -> Iterator[Sequence[MetricQuery]]:
    for first in range(0, len(queries), MAX_QUERIES_PER_CALL):
        yield queries[first : first + MAX_QUERIES_PER_CALL]


def _series(query_id: str, points: Mapping[datetime, float]) -> MetricSeries:
    stamps = sorted(points)
    return MetricSeries(query_id, tuple(stamps), tuple(points[stamp] for stamp in stamps))
