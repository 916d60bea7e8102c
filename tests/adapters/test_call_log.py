"""CallLog: every call through the clients, with its IAM action, counted from any thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from bgtui.adapters.aws.call_log import CallLog, iam_action
from bgtui.adapters.aws.identity import StsIdentity
from bgtui.adapters.aws.lambda_functions import LambdaFunctions
from bgtui.adapters.aws.session import AwsContext, make_clients
from bgtui.core.errors import EndpointUnreachable, NotFound
from tests.adapters.conftest import REGION, Stub, fake_session


@pytest.mark.parametrize(
    ("call", "method", "action"),
    [
        ("lambda:UpdateAlias", "PUT", "lambda:UpdateAlias"),
        ("lambda:Invoke", "POST", "lambda:InvokeFunction"),
        ("apigateway:UpdateStage", "PATCH", "apigateway:PATCH"),
        ("apigateway:GetStages", "GET", "apigateway:GET"),
        ("apigateway:GetStages", "", "apigateway:GET"),
        ("apigateway:CreateDeployment", "", "apigateway:POST"),
        ("tag:GetResources", "POST", "tag:GetResources"),
    ],
)
def test_iam_actions(call: str, method: str, action: str) -> None:
    assert iam_action(call, method) == action


def test_calls_are_recorded_with_name_action_and_duration(
    aws: AwsContext, call_log: CallLog, stub: Stub
) -> None:
    stub("apigateway").add_response("update_stage", {"stageName": "test"})
    stub("resourcegroupstaggingapi").add_response("get_resources", {})
    aws.client("apigateway").update_stage(restApiId="a", stageName="test", patchOperations=[])
    aws.client("resourcegroupstaggingapi").get_resources()
    calls = call_log.calls()
    assert [(c.name, c.iam_action, c.ok) for c in calls] == [
        ("apigateway:UpdateStage", "apigateway:PATCH", True),
        ("tag:GetResources", "tag:GetResources", True),
    ]
    assert all(call.duration_s >= 0 and call.started_at > 0 for call in calls)
    assert all(call.retries == 0 for call in calls)
    assert call_log.iam_actions() == {"apigateway:PATCH", "tag:GetResources"}


def test_failed_calls_are_recorded_as_not_ok(
    aws: AwsContext, call_log: CallLog, stub: Stub
) -> None:
    stub("lambda").add_client_error("get_alias", "ResourceNotFoundException", "", 404)
    with pytest.raises(NotFound):
        LambdaFunctions(aws).get_alias("fn", "blue")
    assert [(c.name, c.ok) for c in call_log.calls()] == [("lambda:GetAlias", False)]


def test_calls_that_never_reached_aws_are_recorded(aws: AwsContext, call_log: CallLog) -> None:
    def unreachable(**_: Any) -> None:
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    sts = aws.write_client("sts")
    aws.client("sts").meta.events.register("before-send", unreachable)
    sts.meta.events.register("before-send", unreachable)
    with pytest.raises(EndpointUnreachable):
        StsIdentity(aws, user=lambda: "u", host=lambda: "h").whoami()
    # botocore retried the connection; the log counts the API call once.
    assert call_log.count("sts:GetCallerIdentity") == 1
    assert call_log.calls()[0].ok is False


def test_counts_from_many_threads_and_reset(aws: AwsContext, call_log: CallLog, stub: Stub) -> None:
    tagging = stub("resourcegroupstaggingapi")
    for _ in range(80):
        tagging.add_response("get_resources", {})
    client = aws.client("resourcegroupstaggingapi")
    threads = [
        threading.Thread(target=lambda: [client.get_resources() for _ in range(10)])
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert call_log.count() == 80
    assert call_log.counts() == {"tag:GetResources": 80}
    call_log.reset()
    assert call_log.count() == 0


def test_a_long_running_log_keeps_the_latest_calls_and_counts_them_all() -> None:
    """A console open for a shift makes a call every few hundred milliseconds: memory must not
    grow with it, and the totals must stay right."""
    bounded = CallLog(keep=10)
    context = make_clients(None, REGION, None, bounded, session=fake_session(), environ={})
    client = context.client("resourcegroupstaggingapi")
    with Stubber(client) as tagging:
        for _ in range(25):
            tagging.add_response("get_resources", {})
        for _ in range(25):
            client.get_resources()
    assert len(bounded.calls()) == 10
    assert bounded.count() == bounded.count("tag:GetResources") == 25
    assert bounded.counts() == {"tag:GetResources": 25}
    assert bounded.iam_actions() == {"tag:GetResources"}


def test_metrics_requested_are_counted_per_call_and_page(
    aws: AwsContext, call_log: CallLog, stub: Stub
) -> None:
    """CloudWatch bills GetMetricData per metric requested in each call
    (https://aws.amazon.com/cloudwatch/pricing/); a second page asks for them again."""
    queries = [
        {
            "Id": f"q{n}",
            "MetricStat": {
                "Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors"},
                "Period": 60,
                "Stat": "Sum",
            },
        }
        for n in range(3)
    ]
    cloudwatch = stub("cloudwatch")
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": [], "NextToken": "more"})
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": []})
    pages = aws.client("cloudwatch").get_paginator("get_metric_data")
    list(pages.paginate(MetricDataQueries=queries, StartTime=0, EndTime=60))
    assert call_log.count("cloudwatch:GetMetricData") == 2
    assert call_log.metrics_requested() == 6
    call_log.reset()
    assert call_log.metrics_requested() == 0
