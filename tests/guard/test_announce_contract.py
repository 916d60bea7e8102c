"""The guard's announcement is, byte for byte, the Publish bgtui's own SnsTopic makes for the
guard's audit record read as bgtui reads it (AuditRecord.from_json → event_of → SnsTopic.deliver).

The guard ships alone in its zip and cannot import bgtui: this holds its copy to bgtui's. Publish's
parameters and the Subject limit are botocore's sns service model (PublishInput)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest
from botocore.stub import Stubber

from bgtui.adapters.aws.call_log import CallLog
from bgtui.adapters.aws.session import make_clients
from bgtui.adapters.aws.sns import SnsTopic
from bgtui.core.audit_record import AuditRecord
from bgtui.core.notification import event_of
from tests.adapters.conftest import REGION, fake_session

TOPIC = "arn:aws:sns:us-east-1:123456789012:releases"
NOW = datetime(2026, 12, 1, 14, 25, 7, tzinfo=UTC)
REASON = "Threshold Crossed: 2 out of the last 3 datapoints [9, 12] were greater than 5 — p99 ≥ 2 s"


def bgtui_publish(record: dict[str, Any], environment: str) -> dict[str, Any]:
    """The request bgtui's SnsTopic hands botocore for this audit record (a Stubber answers it)."""
    event = event_of(AuditRecord.from_json(record), environment)
    assert event is not None, "bgtui announces this record"
    context = make_clients(None, REGION, None, CallLog(), session=fake_session(), environ={})
    client = context.write_client("sns")
    sent: dict[str, Any] = {}

    def keep(params: dict[str, Any], **_: object) -> None:
        sent.update(params)

    client.meta.events.register("provide-client-params.sns.Publish", keep)
    with Stubber(client) as stubber:
        stubber.add_response("publish", {"MessageId": "m-1"}, None)
        SnsTopic(context, TOPIC).deliver(event)
        stubber.assert_no_pending_responses()
    return sent


def guard_record(
    guard_code: ModuleType, function: str, outcome: str, alarm_name: str = "orders-api-live-errors"
) -> dict[str, Any]:
    config = guard_code.GuardConfig(
        function=function,
        api_id="a1b2c3d4e5",
        test_stage="test",
        audit_log_group=f"/bgtui/audit/{function}",
        region="eu-west-1",
        account="123456789012",
        role="arn:aws:lambda:eu-west-1:123456789012:function:orders-api-guard",
    )
    guard = guard_code.Guard(config, lambda service: None, clock=lambda: NOW)
    alarm = guard_code.AlarmEvent(alarm_name, "ALARM", REASON, f"{function}:live", "", "")
    description = (
        '{"live":"green","previous":{"colour":"blue","version":"7"},'
        '"schema":"bgtui/live-v1","watch":"2026-12-01T14:32:00Z"}'
    )
    live = guard_code.LiveState("8", "rev-8", description, guard_code.parse_record(description))
    if outcome == "ok":
        after = {"live": {"colour": "blue", "version": "7"}}
        warnings = ["blue had been redeployed (v9); reset to v7"]
        return dict(guard.audit_record(alarm, live, after, "ok", "", warnings))
    error = "live of orders-api was changed by someone else; nothing changed"
    return dict(guard.audit_record(alarm, live, None, "conflict", error, []))


CASES = [
    pytest.param("orders-api", "ok", "production", id="rollback"),
    pytest.param("orders-api", "conflict", "production", id="conflict"),
    pytest.param("orders-api", "ok", "", id="no-environment"),
    pytest.param("o" * 64, "ok", "staging", id="subject-cut-to-99"),
    pytest.param("o" * 64, "conflict", "staging", id="long-conflict"),
]


@pytest.mark.parametrize(("function", "outcome", "environment"), CASES)
def test_the_guard_publishes_exactly_what_bgtui_would_for_its_record(
    guard_code: ModuleType, function: str, outcome: str, environment: str
) -> None:
    record = guard_record(guard_code, function, outcome)
    expected = bgtui_publish(record, environment)
    assert guard_code.publish_request(TOPIC, record, environment) == expected
    assert len(expected["Subject"]) <= guard_code.SUBJECT_LIMIT < 100


def test_the_events_are_bgtuis_names_for_the_guards_outcomes(guard_code: ModuleType) -> None:
    rolled_back = bgtui_publish(guard_record(guard_code, "orders-api", "ok"), "production")
    conflict = bgtui_publish(guard_record(guard_code, "orders-api", "conflict"), "production")
    assert rolled_back["MessageAttributes"]["event"]["StringValue"] == "auto-rolled-back"
    assert conflict["MessageAttributes"]["event"]["StringValue"] == "conflict"
    assert "v8 → v7 by guard" in rolled_back["Message"] and "≥" in rolled_back["Message"]
