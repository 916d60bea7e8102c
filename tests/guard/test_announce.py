"""The guard announces on the release topic what it did, as the emulator runs it from an alarm.

The topic is read back through an SQS subscription as AWS delivers it: an envelope whose
`Message` is the published text and whose `MessageAttributes` are the published attributes as
{"Type", "Value"} (Amazon SNS Developer Guide, "Amazon SNS message and JSON formats")."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

import boto3
import pytest

from bgtui.demo.guard_stack import provision_guard
from bgtui.demo.stack import provision_service
from bgtui.emulator.alarm_actions import LambdaAlarmActions
from bgtui.emulator.clients import EmulatorClients
from tests.guard.conftest import FUNCTION, NOW, Guarded, make_guard
from tests.guard.test_race import RaceAfterRead

REASON = "Threshold Crossed: 2 out of the last 3 datapoints [9, 12] were greater than 5"


@dataclass(frozen=True)
class Announced:
    """A guarded service whose guard publishes to a topic an SQS queue is subscribed to."""

    guarded: Guarded
    sns: Any
    sqs: Any
    topic: str
    queue_url: str

    def fire(self) -> list[dict[str, str]]:
        """The live alarm enters ALARM: the emulator runs the guard its action names."""
        alarm = self.guarded.alarm()
        return LambdaAlarmActions(self.guarded.clients).fire(alarm, "ALARM", REASON, NOW)

    def received(self) -> list[dict[str, Any]]:
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        )
        return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


@pytest.fixture
def announced(clean_emulator: str) -> Announced:
    clients = EmulatorClients(clean_emulator)
    sns = boto3.client("sns", endpoint_url=clean_emulator, region_name=clients.region)
    sqs = boto3.client("sqs", endpoint_url=clean_emulator, region_name=clients.region)
    topic = sns.create_topic(Name="releases")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="on-call")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue["Attributes"]["QueueArn"])
    service = provision_service(clients, FUNCTION, versions=2)
    guard_arn = provision_guard(clients, FUNCTION, service.api_id, notify_topic_arn=topic)
    return Announced(Guarded(clients, service, guard_arn), sns, sqs, topic, queue_url)


def test_a_rollback_by_the_guard_reaches_the_topic_once(announced: Announced) -> None:
    guarded = announced.guarded
    guarded.promote_green()
    (answer,) = announced.fire()
    assert answer["action"] == "rolled-back" and answer["announcement"] == "sent", answer
    (envelope,) = announced.received()
    assert envelope["TopicArn"] == announced.topic
    assert envelope["Subject"] == f"bgtui auto-rolled-back {FUNCTION}"
    attributes = envelope["MessageAttributes"]
    assert attributes["event"] == {"Type": "String", "Value": "auto-rolled-back"}
    assert attributes["function"] == {"Type": "String", "Value": FUNCTION}
    message = json.loads(envelope["Message"])
    assert message["function"] == FUNCTION and message["actor"] == "guard"
    assert message["from_version"] == guarded.service.green
    assert message["to_version"] == guarded.service.blue
    assert message["environment"] == "demo" and message["outcome"] == "ok"
    assert (
        message["text"].startswith(f"[auto-rolled-back] {FUNCTION} in demo (")
        and f"v{guarded.service.green} → v{guarded.service.blue} by guard" in message["text"]
    )
    assert "Threshold Crossed" in message["detail"]


def test_a_topic_that_refuses_leaves_live_rolled_back_and_says_so(
    announced: Announced, capsys: pytest.CaptureFixture[str]
) -> None:
    guarded = announced.guarded
    guarded.promote_green()
    announced.sns.delete_topic(TopicArn=announced.topic)
    (answer,) = announced.fire()
    assert answer["action"] == "rolled-back", answer
    assert answer["announcement"].startswith("failed: "), answer
    assert guarded.live()["FunctionVersion"] == guarded.service.blue
    (audit,) = guarded.audit_lines()
    assert audit["action"] == "auto-rollback" and audit["outcome"] == "ok"
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["announce"] for line in logged] == [announced.topic]
    assert logged[0]["event"] == "auto-rolled-back" and logged[0]["error"]
    assert announced.received() == []


def test_a_conflict_the_guard_meets_is_announced_as_one(
    guard_code: ModuleType, announced: Announced
) -> None:
    guarded = announced.guarded
    guarded.promote_green()

    def someone_else_moves_live() -> None:
        guarded.clients.lambda_.update_alias(
            FunctionName=FUNCTION,
            Name="live",
            FunctionVersion=guarded.service.blue,
            RevisionId=guarded.live()["RevisionId"],
        )

    guard = make_guard(guard_code, guarded)
    guard.config = replace(guard.config, notify_topic_arn=announced.topic, environment="demo")
    guard._clients = RaceAfterRead(guarded, someone_else_moves_live)
    decision = guard.handle(guarded.event())
    assert decision.action == "conflict" and decision.announcement == "sent", decision
    (envelope,) = announced.received()
    assert envelope["MessageAttributes"]["event"] == {"Type": "String", "Value": "conflict"}
    message = json.loads(envelope["Message"])
    assert message["outcome"] == "conflict" and message["actor"] == "guard"
    assert message["from_version"] == guarded.service.green and message["to_version"] == ""
    assert "changed by someone else" in message["detail"]
