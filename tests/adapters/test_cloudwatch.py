"""CloudWatch adapters: alarms by exact name, and every series of a refresh in one GetMetricData."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.stub import ANY

from bgtui.adapters.aws.cloudwatch import CloudWatchAlarms, CloudWatchMetrics
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import BadInput, CredentialError
from bgtui.core.models import AlarmState
from bgtui.core.ports import MetricQuery
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


def expected_alarm_call(names: list[str], **more: Any) -> dict[str, Any]:
    return {"AlarmNames": names, "AlarmTypes": ["MetricAlarm"], "MaxRecords": 100, **more}


def test_alarms_are_asked_for_by_exact_name(aws: AwsContext, stub: Stub) -> None:
    names = ["payments-api-green-errors", "payments-api-green-p99"]
    stub("cloudwatch").add_response(
        "describe_alarms",
        {"MetricAlarms": [alarm("payments-api-green-errors", "ALARM", "5 errors")]},
        expected_alarm_call(names),
    )
    assert CloudWatchAlarms(aws).alarm_states(names) == [
        AlarmState("payments-api-green-errors", "ALARM", "", "", "5 errors")
    ]


def test_a_hundred_names_a_call_across_pages(aws: AwsContext, stub: Stub) -> None:
    """botocore's CloudWatch model: DescribeAlarms takes at most 100 AlarmNames."""
    names = [f"fn{n:03}-live-errors" for n in range(150)]
    cloudwatch = stub("cloudwatch")
    cloudwatch.add_response(
        "describe_alarms",
        {"MetricAlarms": [alarm(names[0])], "NextToken": "t"},
        expected_alarm_call(names[:100]),
    )
    cloudwatch.add_response(
        "describe_alarms",
        {"MetricAlarms": [alarm(names[99])]},
        expected_alarm_call(names[:100], NextToken="t"),
    )
    cloudwatch.add_response(
        "describe_alarms", {"MetricAlarms": [alarm(names[149])]}, expected_alarm_call(names[100:])
    )
    states = CloudWatchAlarms(aws).alarm_states([*names, names[0]])
    assert [s.name for s in states] == [names[0], names[99], names[149]]


def test_a_refused_read_names_the_action_and_an_alarm(aws: AwsContext, stub: Stub) -> None:
    stub("cloudwatch").add_client_error(
        "describe_alarms",
        "AccessDenied",
        "not authorized",
        403,
        expected_params=expected_alarm_call(["fn-a", "fn-b"]),
    )
    with pytest.raises(CredentialError, match=r"cloudwatch:DescribeAlarms on alarm fn-a and 1"):
        CloudWatchAlarms(aws).alarm_states(["fn-a", "fn-b"])


def test_no_name_asks_nothing(aws: AwsContext, stub: Stub) -> None:
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
