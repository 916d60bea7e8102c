"""Release events from audit records: which records announce which event, and what it says.

Slack's incoming webhooks take a JSON body with `text`, in which `&`, `<` and `>` must be
escaped (Slack API docs, "Formatting text for app surfaces: escaping text").
"""

from __future__ import annotations

from typing import Any

import pytest

from bgtui.core.audit_record import Actor, AuditRecord, Target
from bgtui.core.audit_record import Tested as SmokeTested
from bgtui.core.errors import BadInput
from bgtui.core.notification import event_name, event_of, webhook_host
from bgtui.core.release_event import EVENTS, slack_escaped, webhook_body

BEFORE = {"live": {"version": "3", "revision": "r1"}, "green": {"version": "2", "revision": "r2"}}
FAILED_SMOKE = SmokeTested("green", "4", "1 of 2 failed")
AFTER = {"live": {"version": "4", "revision": "r3"}, "green": {"version": "4", "revision": "r4"}}


def outcome(action: str, result: str = "ok", **fields: Any) -> AuditRecord:
    return AuditRecord(
        action=action,
        phase="outcome",
        function="payments-api",
        region="eu-west-1",
        account="123456789012",
        actor=Actor("arn:aws:sts::123456789012:assumed-role/ops/alice", "alice@bastion"),
        before=BEFORE,
        outcome=result,
        seq=7,
        time="2026-01-05T10:00:00.000000Z",
        **{"reason": "CHG-42", **fields},
    )


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (outcome("deploy", target=Target("green", "4")), "deploy"),
        (
            outcome("test", "failed", tested=FAILED_SMOKE),
            "smoke-failed",
        ),
        (outcome("approval-request", target=Target("green", "4")), "approval-requested"),
        (outcome("approve", target=Target("green", "4")), "approved"),
        (outcome("promote", after=AFTER), "promoted"),
        (outcome("rollback", after=AFTER), "rolled-back"),
        (outcome("auto-rollback", after=AFTER), "auto-rolled-back"),
        (outcome("watch"), "watch-passed"),
        (outcome("promote", "conflict", error="live changed"), "conflict"),
        (outcome("deploy", "conflict"), "conflict"),
    ],
)
def test_each_outcome_names_its_event(record: AuditRecord, expected: str) -> None:
    assert event_name(record) == expected
    assert expected in EVENTS


@pytest.mark.parametrize(
    "record",
    [
        AuditRecord(action="promote", phase="intent"),
        outcome("test"),
        outcome("promote", "failed"),
        outcome("promote", "refused"),
        outcome("evidence"),
        outcome("reconcile"),
        outcome("notify", "failed"),
        outcome("notify", "conflict"),
    ],
)
def test_intents_passes_refusals_and_its_own_records_announce_nothing(record: AuditRecord) -> None:
    assert event_of(record) is None


def test_a_promote_tells_versions_who_why_and_where() -> None:
    event = event_of(outcome("promote", after=AFTER), environment="prod")
    assert event is not None
    assert (event.from_version, event.to_version, event.actor) == ("3", "4", "alice@bastion")
    assert event.text() == (
        "[promoted] payments-api in prod (123456789012/eu-west-1) v3 → v4 by alice@bastion — CHG-42"
    )
    assert event.to_json()["audit_seq"] == 7


def test_a_deploy_tells_the_idle_colour_versions_and_a_failed_smoke_its_summary() -> None:
    deploy = event_of(outcome("deploy", target=Target("green", "4")))
    assert deploy is not None and (deploy.from_version, deploy.to_version) == ("2", "4")
    tested = SmokeTested("green", "4", "1 of 2 checks failed")
    smoke = event_of(outcome("test", "failed", tested=tested))
    assert smoke is not None and smoke.to_version == "4"
    assert smoke.detail == "1 of 2 checks failed"


def test_the_webhook_body_is_slack_text_with_machine_fields() -> None:
    event = event_of(outcome("rollback", after=AFTER, reason="<!channel> & bad"))
    assert event is not None
    body = webhook_body(event)
    assert body["event"] == "rolled-back" and body["function"] == "payments-api"
    assert "&lt;!channel&gt; &amp; bad" in body["text"]
    assert slack_escaped("a<b>&") == "a&lt;b&gt;&amp;"


def test_a_webhook_shows_its_host_only_and_plain_http_only_to_this_machine() -> None:
    assert webhook_host("https://hooks.slack.com/services/T0/B0/secret") == "hooks.slack.com"
    assert webhook_host("http://127.0.0.1:8080/hook") == "127.0.0.1"
    with pytest.raises(BadInput) as refused:
        webhook_host("http://hooks.example.com/services/T0/B0/secret")
    assert "secret" not in str(refused.value)
    for bad in ("ftp://x/y", "not a url", "http://[::1"):
        with pytest.raises(BadInput):
            webhook_host(bad)
