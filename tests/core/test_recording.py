"""Recording: who acted (asked once), intents and outcomes linked, refusals, and the remote copy."""

from __future__ import annotations

import json

from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import Actor, Target
from bgtui.core.change import Action, Outcome
from bgtui.core.gates import GateResult
from bgtui.core.models import ServiceRef
from bgtui.core.recording import state_snapshot
from tests.core.parts import parts_of
from tests.core.states import state_of
from tests.fakes import FakeAws


def test_the_caller_is_asked_once_until_credentials_change(aws: FakeAws, trail: AuditTrail) -> None:
    recorder = parts_of(aws, trail).recorder
    recorder.actor()
    recorder.actor()
    assert aws.calls.count("sts:GetCallerIdentity") == 1
    recorder.forget_identity()
    assert recorder.actor().local == "oncall@bastion"
    assert aws.calls.count("sts:GetCallerIdentity") == 2


def test_a_refusal_records_the_state_gates_and_why(aws: FakeAws, trail: AuditTrail) -> None:
    recorder = parts_of(aws, trail).recorder
    gate = GateResult("reason", False, "a reason is required")
    state = state_of()
    record = recorder.refusal(state, Action.PROMOTE, "", (gate,), "reason (required)")
    assert (record.action, record.phase, record.outcome) == ("promote", "outcome", "refused")
    assert record.gates == (gate,) and record.error == "reason (required)"
    assert record.actor == Actor("arn:aws:iam::123456789012:user/oncall", "oncall@bastion")
    assert record.account == "123456789012" and record.before == state_snapshot(state)
    assert trail.records() == [record]


def test_the_snapshot_holds_colours_versions_revisions_and_the_test_stage() -> None:
    assert state_snapshot(state_of()) == {
        "live_colour": "blue",
        "live": {"version": "2", "revision": "rl"},
        "blue": {"version": "2", "revision": "rb"},
        "green": {"version": "3", "revision": "rg"},
        "test_stage": "green",
    }


def test_an_outcome_answers_its_intent(aws: FakeAws, trail: AuditTrail) -> None:
    parts = parts_of(aws, trail)
    change = parts.planner.prepare_promote(parts.catalog.find("payments-api"), reason="CHG-1")
    intent = parts.recorder.intent(change)
    assert intent.target == Target("green", "3") and intent.outcome is None
    outcome = parts.recorder.outcome(change, intent, Outcome.OK, "", change.state, ("w",))
    assert (outcome.intent, outcome.target, outcome.warnings) == (intent.seq, intent.target, ("w",))
    assert outcome.after == state_snapshot(change.state)
    failed = parts.recorder.outcome(change, intent, Outcome.FAILED, "boom")
    assert failed.after is None and failed.warnings is None and failed.error == "boom"


def test_shipping_copies_this_functions_records_from_the_first_on(
    aws: FakeAws, trail: AuditTrail
) -> None:
    recorder = parts_of(aws, trail).recorder
    recorder.refusal(state_of(), Action.DEPLOY, "", (), "earlier")
    first = recorder.refusal(state_of(), Action.PROMOTE, "", (), "first")
    recorder.refusal(state_of(function="ledger-writer"), Action.PROMOTE, "", (), "another")
    last = recorder.refusal(state_of(), Action.PROMOTE, "", (), "last")
    ref = ServiceRef("payments-api", "eu-west-1", audit_log_group="/bgtui/p")
    assert recorder.ship(ref, first) == ()
    group, lines = aws.shipped[-1]
    assert group == "/bgtui/p"
    assert [json.loads(line)["seq"] for line in lines] == [first.seq, last.seq]


def test_a_failed_copy_is_a_warning_and_no_group_means_no_copy(
    aws: FakeAws, trail: AuditTrail
) -> None:
    recorder = parts_of(aws, trail).recorder
    first = recorder.refusal(state_of(), Action.PROMOTE, "", (), "x")
    assert recorder.ship(state_of().ref, first) == (), "the service names no log group"
    assert not aws.shipped
    aws.unreachable_on = {"logs:PutLogEvents"}
    ref = ServiceRef("payments-api", "eu-west-1", audit_log_group="/bgtui/p")
    (warning,) = recorder.ship(ref, first)
    assert warning.startswith("audit copy to /bgtui/p failed:")
