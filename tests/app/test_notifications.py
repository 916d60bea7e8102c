"""Release notifications: delivered off the change's thread, retried, audited, never blocking.

A webhook body is Slack's incoming-webhook JSON (`text`; Slack API docs, "Sending messages
using incoming webhooks"). SNS is read back through an SQS subscription as AWS delivers it: an
envelope whose `Message` is the published text (Amazon SNS Developer Guide, "Amazon SNS message
and JSON formats"); Publish's parameters are botocore's sns service model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import boto3
import pytest

from bgtui.adapters.aws.session import make_clients
from bgtui.adapters.aws.sns import SnsTopic
from bgtui.adapters.aws.webhook import Webhook
from bgtui.app.deploy_source import DeployRequest
from bgtui.app.notifications import NotificationQueue, notifiers
from bgtui.app.notify_settings import NotifySettings
from bgtui.app.settings import Settings, load_settings
from bgtui.app.wiring import build_service
from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import Actor, AuditRecord
from bgtui.core.errors import BadInput, Conflict, EndpointUnreachable
from bgtui.core.models import Identity
from bgtui.core.notification import event_of
from bgtui.core.release_event import EVENTS, ReleaseEvent
from tests.app.receiver import SECRET_PATH, Receiver, receiver
from tests.cli.test_watch_cli import FN, World
from tests.emulator_fixtures import DemoStack


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as got:
        yield got


def promoted(seq_reason: str = "CHG-1") -> AuditRecord:
    return AuditRecord(
        action="promote",
        phase="outcome",
        function=FN,
        region="eu-west-1",
        account="123456789012",
        actor=Actor("arn:aws:iam::123456789012:user/alice", "alice@bastion"),
        reason=seq_reason,
        outcome="ok",
    )


class Flaky:
    """A notifier that fails `failures` times, then delivers."""

    target = "webhook flaky.example"

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.delivered: list[ReleaseEvent] = []

    def deliver(self, event: ReleaseEvent) -> None:
        if self.failures:
            self.failures -= 1
            raise EndpointUnreachable("webhook flaky.example: no answer within 5 s")
        self.delivered.append(event)


def notify_records(trail: AuditTrail) -> list[AuditRecord]:
    return [r for r in trail.records() if r.action == "notify"]


def test_a_failed_delivery_is_retried_with_doubling_delays_and_recorded(tmp_path: Path) -> None:
    trail = AuditTrail(tmp_path / "audit.jsonl")
    delays: list[float] = []
    flaky = Flaky(failures=2)
    queue = NotificationQueue([flaky], trail, "prod", sleep=delays.append)
    trail.observers.append(queue.observe)
    trail.append(promoted())
    queue.close(timeout_s=10)
    assert [e.name for e in flaky.delivered] == ["promoted"]
    assert delays == [0.5, 1.0]
    (record,) = notify_records(trail)
    assert record.outcome == "delivered" and record.extra["attempts"] == 3
    assert record.extra["notifies"] == 1 and record.extra["channel"] == "webhook flaky.example"
    assert trail.verify().ok


def test_a_delivery_that_never_succeeds_is_recorded_failed_with_the_last_error(
    tmp_path: Path,
) -> None:
    trail = AuditTrail(tmp_path / "audit.jsonl")
    delays: list[float] = []
    queue = NotificationQueue([Flaky(failures=99)], trail, sleep=delays.append)
    trail.observers.append(queue.observe)
    trail.append(promoted())
    queue.close(timeout_s=10)
    assert delays == [0.5, 1.0, 2.0]
    (record,) = notify_records(trail)
    assert (record.outcome, record.extra["attempts"]) == ("failed", 4)
    assert "no answer" in record.error


def test_a_full_queue_records_what_it_could_not_take(tmp_path: Path, hook: Receiver) -> None:
    hook.hang.set()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    webhook = Webhook(lambda: hook.url, "env:HOOK", read_timeout_s=0.2)
    queue = NotificationQueue([webhook], trail, capacity=1, attempts=1)
    trail.observers.append(queue.observe)
    for _ in range(3):
        trail.append(promoted())
    queue.close(timeout_s=0.1)
    errors = sorted(r.error for r in notify_records(trail))
    assert len(errors) == 3
    assert any("queue was full" in e for e in errors)


def test_a_hanging_receiver_slows_neither_the_change_nor_the_exit_and_the_url_stays_secret(
    tmp_path: Path, hook: Receiver
) -> None:
    hook.hang.set()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    queue = NotificationQueue([Webhook(lambda: hook.url, "env:HOOK")], trail)
    trail.observers.append(queue.observe)
    started = time.monotonic()
    trail.append(promoted())
    appended = time.monotonic() - started
    queue.close(timeout_s=0.3)
    closed = time.monotonic() - started
    # Generous bounds: a blocking delivery would take the webhook's 5 s read timeout.
    assert appended < 1.0 and closed < 2.5, (appended, closed)
    (record,) = notify_records(trail)
    assert record.outcome == "failed" and "not delivered within 0.3 s of exit" in record.error
    assert record.extra["channel"] == "webhook 127.0.0.1"
    assert SECRET_PATH not in (tmp_path / "audit.jsonl").read_text()
    assert trail.verify().ok


def test_an_unset_reference_fails_the_delivery_by_name_not_the_change(tmp_path: Path) -> None:
    trail = AuditTrail(tmp_path / "audit.jsonl")
    found = notifiers(NotifySettings(("env:BGTUI_NO_SUCH_HOOK",)), lambda arn: Flaky(0), env={})
    queue = NotificationQueue(found, trail, attempts=1)
    trail.observers.append(queue.observe)
    trail.append(promoted())
    queue.close(timeout_s=5)
    (record,) = notify_records(trail)
    assert record.outcome == "failed" and "BGTUI_NO_SUCH_HOOK is not set" in record.error


class SecondPerson:
    """Another principal of the same account: the approver of a two-person promote."""

    def __init__(self, account: str) -> None:
        self.account = account

    def whoami(self) -> Identity:
        return Identity(self.account, f"arn:aws:iam::{self.account}:user/bob", "bob@bastion")


def test_every_event_of_real_flows_reaches_a_local_receiver(
    demo_stack: DemoStack, tmp_path: Path, hook: Receiver
) -> None:
    world = World(demo_stack, tmp_path)
    service, audit = world.service, world.backend.audit
    queue = NotificationQueue([Webhook(lambda: hook.url, "env:HOOK")], audit, "training")
    audit.observers.append(queue.observe)
    ref = service.find(FN)

    assert world.promote(healthy=True, watch="4m")[0] == 0  # promoted, watch-passed
    assert world.promote(healthy=False, watch="10m")[0] == 1  # promoted, auto-rolled-back
    service.execute(service.prepare_rollback(ref, reason="CHG-8"), FN)  # rolled-back
    state = service.read(ref)
    with pytest.raises(Conflict):
        service.prepare_promote(ref, state.live_colour, "CHG-9")  # conflict: live, not idle
    deploy = service.prepare_deploy(ref, DeployRequest("version", "CHG-9", "1"))
    service.execute(deploy, deploy.confirmation_text)  # deploy
    world.traffic.set_behaviour(FN, "1", healthy=False)
    assert not service.smoke(ref).passed  # smoke-failed
    world.clock.now += timedelta(minutes=1)  # a request made after the last swap stands
    service.request_approval(ref, "CHG-10")  # approval-requested
    ops = world.backend.operations
    ops.identity = SecondPerson(ops.actor().account)
    ops.forget_identity()
    service.approve(ref, "CHG-10 looked at it")  # approved

    queue.close(timeout_s=10)
    assert sorted(set(hook.events)) == sorted(EVENTS), hook.events
    first = hook.bodies[0]
    assert first["event"] == "promoted" and first["function"] == FN
    assert first["text"].startswith(f"[promoted] {FN} in training (")
    assert {r.outcome for r in notify_records(audit)} == {"delivered"}
    assert audit.verify().ok
    assert SECRET_PATH not in audit.path.read_text()


def test_configured_webhook_and_an_emulator_rollback_that_a_dead_receiver_does_not_slow(
    demo_stack: DemoStack, tmp_path: Path, hook: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook.hang.set()
    monkeypatch.setenv("BGTUI_TEST_WEBHOOK", hook.url)
    config = tmp_path / "config.toml"
    config.write_text('[notify]\nwebhooks = ["env:BGTUI_TEST_WEBHOOK"]\n')
    settings = load_settings(
        config,
        env={"XDG_STATE_HOME": str(tmp_path)},
        endpoint_url=demo_stack.endpoint_url,
        region=demo_stack.region,
    )
    service = build_service(settings)
    queue = service.backend.notifications
    assert queue is not None
    ref = service.find(FN)
    promote = service.prepare_promote(ref, reason="CHG-1", overrides=("smoke-passed",))
    service.execute(promote, FN)
    rollback = service.prepare_rollback(ref, reason="CHG-2 back")
    started = time.monotonic()
    service.execute(rollback, FN)
    elapsed = time.monotonic() - started
    queue.close(timeout_s=0.2)
    assert elapsed < 3.0, elapsed  # a delivery on this thread would wait 5 s per attempt
    records = notify_records(service.backend.audit)
    assert {r.extra["event"] for r in records} == {"promoted", "rolled-back"}
    assert all(r.outcome == "failed" and r.extra["channel"] == "webhook 127.0.0.1" for r in records)


def test_an_sns_topic_gets_each_event_as_an_sqs_subscriber_reads_it(clean_emulator: str) -> None:
    region = "eu-west-1"
    sns = boto3.client("sns", endpoint_url=clean_emulator, region_name=region)
    sqs = boto3.client("sqs", endpoint_url=clean_emulator, region_name=region)
    topic = sns.create_topic(Name="releases")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="releases-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])
    event = event_of(replace(promoted("CHG-3"), seq=5), "prod")
    assert event is not None
    SnsTopic(make_clients(None, region, clean_emulator), topic).deliver(event)
    got = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"]
    envelope = json.loads(got[0]["Body"])
    assert envelope["Subject"] == f"bgtui promoted {FN}"
    message = json.loads(envelope["Message"])
    assert message["event"] == "promoted" and message["audit_seq"] == 5
    assert message["text"].startswith(f"[promoted] {FN} in prod")


def test_a_plain_webhook_url_in_the_configuration_is_refused_without_its_path(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[notify]\nwebhooks = ["https://hooks.slack.com/services/T0/B0/tok3n"]\n')
    with pytest.raises(BadInput) as refused:
        load_settings(config, env={})
    message = str(refused.value)
    assert "hooks.slack.com" in message and "tok3n" not in message
    assert "bgtui secrets set-webhook" in message
    config.write_text('[notify]\nsns_topic_arn = "releases"\n')
    with pytest.raises(BadInput, match="SNS topic ARN"):
        load_settings(config, env={})
    arn = "arn:aws:sns:eu-west-1:123456789012:releases"
    config.write_text(f'[notify]\nwebhooks = ["keyring:ops"]\nsns_topic_arn = "{arn}"\n')
    assert load_settings(config, env={}).notify == NotifySettings(("keyring:ops",), arn)


def test_the_demo_announces_nothing_even_with_notify_configured(
    emulator_url: str, tmp_path: Path
) -> None:
    notify = NotifySettings(("env:BGTUI_TEST_WEBHOOK",))
    base = Settings(endpoint_url=emulator_url, audit_path=tmp_path / "a.jsonl", notify=notify)
    assert build_service(base).backend.notifications is not None
    assert build_service(replace(base, demo=True)).backend.notifications is None
