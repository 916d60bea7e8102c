"""Planning: the state read for a change, its gates, and what is refused before any write."""

from __future__ import annotations

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import Target
from bgtui.core.change import Action, DeploySource
from bgtui.core.errors import Conflict, Refused
from bgtui.core.models import Colour
from bgtui.core.policy import Policy
from tests.core.parts import parts_of
from tests.fakes import FakeAws


def test_a_promote_targets_the_idle_colour_and_its_version(aws: FakeAws, trail: AuditTrail) -> None:
    parts = parts_of(aws, trail)
    change = parts.planner.prepare_promote(parts.catalog.find("payments-api"), reason=" CHG-1 ")
    assert (change.target_colour, change.target_version, change.reason) == (
        Colour.GREEN,
        "3",
        "CHG-1",
    )
    assert change.confirmation_text == "payments-api"
    assert "lambda:UpdateAlias" not in aws.calls and trail.records() == [], (
        "planning writes nothing"
    )


def test_a_smoke_run_of_the_idle_version_feeds_the_gate(aws: FakeAws, trail: AuditTrail) -> None:
    parts = parts_of(aws, trail)
    ref = parts.catalog.find("payments-api")
    assert parts.planner.prepare_promote(ref, reason="x").blocked
    tested = {"colour": "green", "version": "3", "summary": "1/1 checks passed", "results": []}
    trail.append(
        {
            "action": "test",
            "phase": "outcome",
            "function": "payments-api",
            "region": "eu-west-1",
            "outcome": "ok",
            "tested": tested,
        }
    )
    change = parts.planner.prepare_promote(ref, reason="x")
    assert not change.blocked, change.failed_gates


def test_naming_the_live_colour_as_target_is_a_recorded_conflict(
    aws: FakeAws, trail: AuditTrail
) -> None:
    parts = parts_of(aws, trail)
    with pytest.raises(Conflict, match="blue is live, not idle"):
        parts.planner.prepare_promote(parts.catalog.find("payments-api"), Colour.BLUE, "x")
    with pytest.raises(Conflict, match="green is not live any more"):
        parts.planner.prepare_rollback(parts.catalog.find("payments-api"), Colour.GREEN, "x")
    assert [(r.action, r.outcome) for r in trail.records()] == [
        ("promote", "conflict"),
        ("rollback", "conflict"),
    ]


def test_read_only_refuses_and_records_it_after_settling_unknowns(
    aws: FakeAws, trail: AuditTrail
) -> None:
    parts = parts_of(aws, trail, Policy(read_only=True))
    state = parts.catalog.read(parts.catalog.find("payments-api"))
    parts.recorder.record(
        state, Action.PROMOTE, "outcome", "", outcome="unknown", target=Target("blue", "2")
    )
    with pytest.raises(Refused, match="read-only mode: deploy refused for payments-api"):
        parts.planner.prepare_deploy(state.ref, DeploySource.from_latest(), "x")
    assert [(r.action, r.outcome) for r in trail.records()][1:] == [
        ("reconcile", "ok"),
        ("deploy", "refused"),
    ]


def test_a_deploy_of_an_existing_version_checks_it_exists(aws: FakeAws, trail: AuditTrail) -> None:
    parts = parts_of(aws, trail)
    ref = parts.catalog.find("payments-api")
    assert parts.planner.version_gate(ref, "1").passed
    missing = parts.planner.version_gate(ref, "9")
    assert not missing.passed and missing.detail == "version 9 does not exist"
    aws.calls.clear()
    assert not parts.planner.version_gate(ref, "$LATEST").passed
    assert aws.calls == [], "a name that is no version number is not asked about"
    change = parts.planner.prepare_deploy(ref, DeploySource.existing("1"), "x")
    assert [g.name for g in change.gates] == ["consistent", "reason", "version-exists"]
    assert change.confirmation_text == "yes", "a deploy leaves production untouched"


def test_without_a_live_colour_nothing_can_be_planned(aws: FakeAws, trail: AuditTrail) -> None:
    parts = parts_of(aws, trail)
    del aws.functions["payments-api"].aliases["live"]
    with pytest.raises(Refused, match="cannot promote payments-api: alias live is missing"):
        parts.planner.prepare_promote(parts.catalog.find("payments-api"), reason="x")
    assert trail.records()[-1].error.startswith("cannot promote: alias live is missing")


def test_typed_confirmation_may_be_turned_off(aws: FakeAws, trail: AuditTrail) -> None:
    parts = parts_of(aws, trail, Policy(typed_confirmation=False))
    change = parts.planner.prepare_rollback(parts.catalog.find("payments-api"), reason="x")
    assert change.confirmation_text == "yes"
