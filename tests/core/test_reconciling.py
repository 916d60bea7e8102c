"""Reconciling: an operation of unknown outcome is settled once, from the state read later."""

from __future__ import annotations

from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import AuditRecord, Target
from bgtui.core.change import Action
from bgtui.core.models import Colour, PreviousLive
from bgtui.core.reconciling import took_effect
from tests.core.parts import parts_of
from tests.core.states import state_of
from tests.fakes import FakeAws


def unknown(action: str, colour: str, version: str = "") -> AuditRecord:
    return AuditRecord(
        action, "outcome", "payments-api", outcome="unknown", target=Target(colour, version)
    )


def test_a_swap_took_effect_when_live_is_the_target_colour_on_the_target_version() -> None:
    swapped = state_of(Colour.GREEN, previous=PreviousLive(Colour.BLUE, "2"))
    assert took_effect(swapped, unknown("promote", "green", "3")) is True
    assert took_effect(state_of(), unknown("promote", "green", "3")) is False
    assert took_effect(swapped, unknown("rollback", "green", "2")) is False


def test_a_deploy_took_effect_when_the_colour_holds_the_version() -> None:
    assert took_effect(state_of(green="5"), unknown("deploy", "green", "5")) is True
    assert took_effect(state_of(), unknown("deploy", "green", "5")) is False


def test_a_deploy_that_named_no_version_cannot_be_told() -> None:
    assert took_effect(state_of(), unknown("deploy", "green")) is None
    assert took_effect(state_of(), unknown("deploy", "purple", "3")) is None
    assert took_effect(state_of(), unknown("test", "green", "3")) is None


def test_each_unknown_is_settled_once_for_its_own_service(aws: FakeAws, trail: AuditTrail) -> None:
    parts = parts_of(aws, trail)
    recorder = parts.recorder
    state = state_of()
    first = recorder.record(
        state, Action.PROMOTE, "outcome", "", outcome="unknown", target=Target("blue", "2")
    )
    recorder.record(
        state_of(function="ledger-writer"), Action.PROMOTE, "outcome", "", outcome="unknown"
    )
    second = recorder.record(
        state, Action.DEPLOY, "outcome", "", outcome="unknown", target=Target("green")
    )
    settled = parts.reconciler.reconcile(state)
    assert [(r.action, r.reconciles, r.applied) for r in settled] == [
        ("reconcile", first.seq, True),
        ("reconcile", second.seq, None),
    ]
    assert parts.reconciler.reconcile(state) == [], "settled once"
    assert trail.verify().ok
