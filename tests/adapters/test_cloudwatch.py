"""CloudWatch adapters: alarms by prefix, and every series of a refresh in one GetMetricData."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.stub import ANY

from bgtui.adapters.cloudwatch import CloudWatchAlarms, CloudWatchMetrics
from bgtui.adapters.session import AwsContext
from bgtui.core.models import AlarmState
from bgtui.core.ports import MetricQuery
from bgtui.errors import BadInput
from tests.adapters.conftest import Stub

START = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
END = START + timedelta(minutes=30)


def alarm(name: str, state: str = "OK", reason: str = "fine") -> dict[str, Any]:
    return {"AlarmName": name, "StateValue": state, "StateReason": reason}


def query(query_id: str, version: str = "3", stat: str = "Sum") -> MetricQuery:
    dimensions = (
        ("FunctionName", "payments-api"),
        ("Resource", "payments-api:live"),
        ("ExecutedVersion", version),
    )
    return MetricQuery(query_id, "AWS/Lambda", "Errors", dimensions, stat)


def minute(n: int) -> datetime:
    return START + timedelta(minutes=n)


def test_one_prefix_is_asked_of_cloudwatch(aws: AwsContext, stub: Stub) -> None:
    stub("cloudwatch").add_response(
        "describe_alarms",
        {"MetricAlarms": [alarm("payments-api-green-errors", "ALARM", "5 errors")]},
        {"AlarmTypes": ["MetricAlarm"], "AlarmNamePrefix": "payments-api-"},
    )
    assert CloudWatchAlarms(aws).alarm_states(["payments-api-"]) == [
        AlarmState("payments-api-green-errors", "ALARM", "green", "errors", "5 errors")
    ]


def test_several_prefixes_are_filtered_here_across_pages(aws: AwsContext, stub: Stub) -> None:
    cloudwatch = stub("cloudwatch")
    cloudwatch.add_response(
        "describe_alarms",
        {
            "MetricAlarms": [alarm("payments-api-live-p99"), alarm("someone-elses-alarm")],
            "NextToken": "t",
        },
        {"AlarmTypes": ["MetricAlarm"]},
    )
    cloudwatch.add_response(
        "describe_alarms",
        {"MetricAlarms": [alarm("ledger-writer-blue-errors"), alarm("ledger-writer-old")]},
        {"AlarmTypes": ["MetricAlarm"], "NextToken": "t"},
    )
    states = CloudWatchAlarms(aws).alarm_states(["payments-api-", "ledger-writer-"])
    assert [(s.name, s.scope, s.metric) for s in states] == [
        ("payments-api-live-p99", "live", "p99"),
        ("ledger-writer-blue-errors", "blue", "errors"),
    ]


def test_the_longest_prefix_decides_the_scope(aws: AwsContext, stub: Stub) -> None:
    stub("cloudwatch").add_response(
        "describe_alarms",
        {"MetricAlarms": [alarm("fn-v2-blue-errors"), alarm("fn-green-p99")]},
    )
    states = CloudWatchAlarms(aws).alarm_states(["fn-", "fn-v2-"])
    assert [(s.name, s.scope) for s in states] == [
        ("fn-v2-blue-errors", "blue"),
        ("fn-green-p99", "green"),
    ]


def test_no_prefix_asks_nothing(aws: AwsContext, stub: Stub) -> None:
    stub("cloudwatch")
    assert CloudWatchAlarms(aws).alarm_states([]) == []


def test_fetch_sends_every_query_in_one_call_with_dimensions_in_order(
    aws: AwsContext, stub: Stub
) -> None:
    expected = {
        "MetricDataQueries": [
            {
                "Id": "blue_errors",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/Lambda",
                        "MetricName": "Errors",
                        "Dimensions": [
                            {"Name": "FunctionName", "Value": "payments-api"},
                            {"Name": "Resource", "Value": "payments-api:live"},
                            {"Name": "ExecutedVersion", "Value": "3"},
                        ],
                    },
                    "Period": 60,
                    "Stat": "Sum",
                },
                "ReturnData": True,
            },
            {
                "Id": "green_p99",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/Lambda",
                        "MetricName": "Errors",
                        "Dimensions": [
                            {"Name": "FunctionName", "Value": "payments-api"},
                            {"Name": "Resource", "Value": "payments-api:live"},
                            {"Name": "ExecutedVersion", "Value": "4"},
                        ],
                    },
                    "Period": 60,
                    "Stat": "p99",
                },
                "ReturnData": True,
            },
        ],
        "StartTime": START,
        "EndTime": END,
        "ScanBy": "TimestampAscending",
    }
    stub("cloudwatch").add_response(
        "get_metric_data",
        {
            "MetricDataResults": [
                {"Id": "blue_errors", "Timestamps": [minute(1), minute(3)], "Values": [2.0, 1.0]},
                {"Id": "green_p99", "Timestamps": [], "Values": []},
            ]
        },
        expected,
    )
    series = CloudWatchMetrics(aws).fetch(
        [query("blue_errors"), query("green_p99", "4", "p99")], START, END
    )
    assert series["blue_errors"].timestamps == (minute(1), minute(3))
    assert series["blue_errors"].values == (2.0, 1.0)
    assert series["green_p99"].values == ()


def test_fetch_follows_next_token_and_sorts_oldest_first(aws: AwsContext, stub: Stub) -> None:
    cloudwatch = stub("cloudwatch")
    cloudwatch.add_response(
        "get_metric_data",
        {
            "MetricDataResults": [{"Id": "q", "Timestamps": [minute(5)], "Values": [5.0]}],
            "NextToken": "more",
        },
    )
    cloudwatch.add_response(
        "get_metric_data",
        {"MetricDataResults": [{"Id": "q", "Timestamps": [minute(2)], "Values": [2.0]}]},
        {
            "MetricDataQueries": ANY,
            "StartTime": START,
            "EndTime": END,
            "ScanBy": "TimestampAscending",
            "NextToken": "more",
        },
    )
    series = CloudWatchMetrics(aws).fetch([query("q")], START, END)["q"]
    assert series.timestamps == (minute(2), minute(5))
    assert series.values == (2.0, 5.0)


def test_fetch_splits_only_above_five_hundred_queries(aws: AwsContext, stub: Stub) -> None:
    queries = [query(f"q{n}") for n in range(501)]
    cloudwatch = stub("cloudwatch")
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": []})
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": []})
    series = CloudWatchMetrics(aws).fetch(queries, START, END)
    assert len(series) == 501
    assert aws.call_log is not None
    assert aws.call_log.count("cloudwatch:GetMetricData") == 2


def test_five_hundred_queries_are_one_call(aws: AwsContext, stub: Stub) -> None:
    stub("cloudwatch").add_response("get_metric_data", {"MetricDataResults": []})
    assert (
        len(CloudWatchMetrics(aws).fetch([query(f"q{n}") for n in range(500)], START, END)) == 500
    )


@pytest.mark.parametrize("bad_id", ["Blue", "1blue", "blue-errors", "", "blue errors"])
def test_query_ids_cloudwatch_would_reject_are_bad_input(aws: AwsContext, bad_id: str) -> None:
    with pytest.raises(BadInput, match="must match"):
        CloudWatchMetrics(aws).fetch([query(bad_id)], START, END)


def test_duplicate_ids_and_reversed_ranges_are_bad_input(aws: AwsContext) -> None:
    with pytest.raises(BadInput, match="used twice"):
        CloudWatchMetrics(aws).fetch([query("q"), query("q")], START, END)
    with pytest.raises(BadInput, match="before it starts"):
        CloudWatchMetrics(aws).fetch([query("q")], END, START)
