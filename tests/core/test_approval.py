"""Two-person promote in the core: the request on the idle alias, its gate, its refusals.

Lambda caps an alias Description at 256 characters and refuses an UpdateAlias whose RevisionId is
not the alias's current one (botocore's lambda service model: UpdateAliasRequest.Description
max 256, PreconditionFailedException); STS names an assumed-role session
`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (botocore sts model, AssumedRoleUser.Arn).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest

from bgtui.core.approval import ApprovalRequest, approved_gate, principal_of
from bgtui.core.approving import Approvals
from bgtui.core.audit import AuditTrail
from bgtui.core.errors import Conflict, Refused
from bgtui.core.models import Colour, Identity
from bgtui.core.operations import BlueGreen
from bgtui.core.policy import Policy
from tests.core.conftest import NOW, make_ops
from tests.fakes import FakeAws

FN = "payments-api"


@dataclass
class Caller:
    """Who the fake account says is calling; tests switch people by changing `arn`."""

    arn: str = "arn:aws:iam::123456789012:user/alice"

    def whoami(self) -> Identity:
        return Identity("123456789012", self.arn, "someone@host")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world(aws: FakeAws, trail: AuditTrail):
    caller, clock = Caller(), Clock()
    ops = make_ops(aws, trail, Policy(approvals_required=1))
    ops.identity = caller
    ops.clock = clock
    ops.planner.clock = clock
    approvals = Approvals(ops.catalog, aws, ops.recorder, ops.policy, clock)
    return ops, approvals, caller, clock


def switch(ops: BlueGreen, caller: Caller, arn: str) -> None:
    caller.arn = arn
    ops.forget_identity()


def approved(ops: BlueGreen) -> tuple[bool, str]:
    change = ops.prepare_promote(ops.catalog.find(FN), None, "CHG-1")
    gate = next(g for g in change.gates if g.name == "approved")
    return gate.passed, gate.detail


def test_principal_of_keeps_the_role_and_drops_the_session() -> None:
    one = principal_of("arn:aws:sts::111122223333:assumed-role/Deployer/alice-laptop")
    two = principal_of("arn:aws:sts::111122223333:assumed-role/Deployer/bob-bastion")
    assert one == two == "111122223333:role/Deployer"
    assert principal_of("arn:aws:iam::111122223333:user/ops/bob") == "111122223333:user/bob"
    assert principal_of("arn:aws:iam::111122223333:root") == "111122223333:root"


def test_a_long_reason_is_cut_to_fit_and_the_rest_is_kept() -> None:
    request = ApprovalRequest(
        version="12345",
        code_sha256="A" * 44,
        requester="111122223333:role/" + "R" * 20,
        reason="CHG-1 " + "x" * 400,
        requested_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        approvers=("111122223333:user/" + "b" * 12,),
    )
    text = request.to_description()
    assert len(text) <= 256
    read = ApprovalRequest.from_description(text)
    assert read is not None and read.reason.startswith("CHG-1 x") and read.reason.endswith("…")
    assert replace(read, reason=request.reason) == request


def test_names_too_long_for_a_description_are_refused_not_cut() -> None:
    request = ApprovalRequest(
        "7", "A" * 44, "1:role/" + "R" * 64, "r", NOW, NOW, ("1:role/" + "S" * 64,) * 2
    )
    with pytest.raises(Refused, match="does not fit"):
        request.to_description()


def test_request_approve_then_the_gate_passes_naming_both(world) -> None:
    ops, approvals, caller, _ = world
    ref = ops.catalog.find(FN)
    assert approved(ops)[0] is False
    approvals.request(ref, "CHG-1 release")
    assert "waiting for 1 approval" in approved(ops)[1]
    switch(ops, caller, "arn:aws:iam::123456789012:user/bob")
    approvals.approve(ref, "reviewed")
    passed, detail = approved(ops)
    assert passed and "user/alice" in detail and "user/bob" in detail
    actions = [(r.action, r.outcome) for r in ops.audit.records()]
    assert ("approval-request", "ok") in actions and ("approve", "ok") in actions


def test_self_approval_and_the_same_role_are_refused(world) -> None:
    ops, approvals, caller, _ = world
    ref = ops.catalog.find(FN)
    switch(ops, caller, "arn:aws:sts::123456789012:assumed-role/Deployer/alice")
    approvals.request(ref, "CHG-1")
    switch(ops, caller, "arn:aws:sts::123456789012:assumed-role/Deployer/other-session")
    with pytest.raises(Refused, match="self-approval refused"):
        approvals.approve(ref, "ok")
    assert ops.audit.records()[-1].outcome == "refused"


def test_an_expired_request_cannot_be_approved_or_promoted(world) -> None:
    ops, approvals, caller, clock = world
    ref = ops.catalog.find(FN)
    approvals.request(ref, "CHG-1")
    clock.now = NOW + timedelta(minutes=60)
    switch(ops, caller, "arn:aws:iam::123456789012:user/bob")
    with pytest.raises(Refused, match="expired at 04:00Z"):
        approvals.approve(ref, "ok")
    assert "expired" in approved(ops)[1]


def test_approved_before_expiry_still_stands_a_minute_before(world) -> None:
    ops, approvals, caller, clock = world
    ref = ops.catalog.find(FN)
    approvals.request(ref, "CHG-1")
    switch(ops, caller, "arn:aws:iam::123456789012:user/bob")
    clock.now = NOW + timedelta(minutes=59)
    approvals.approve(ref, "ok")
    assert approved(ops)[0] is True


def test_a_new_idle_version_kills_the_request(world, aws: FakeAws) -> None:
    ops, approvals, caller, _ = world
    ref = ops.catalog.find(FN)
    approvals.request(ref, "CHG-1")
    green = aws.get_alias(FN, "green")
    aws.update_alias(FN, "green", "1", green.revision_id, green.description)
    switch(ops, caller, "arn:aws:iam::123456789012:user/bob")
    with pytest.raises(Refused, match="the request was for v3; green now holds v1"):
        approvals.approve(ref, "ok")


def test_two_approvers_writing_at_once_one_conflicts(world, aws: FakeAws) -> None:
    ops, approvals, caller, _ = world
    ref = ops.catalog.find(FN)
    approvals.request(ref, "CHG-1")
    switch(ops, caller, "arn:aws:iam::123456789012:user/bob")
    seen = ops.catalog.read(ref)
    green = aws.get_alias(FN, "green")
    aws.update_alias(FN, "green", green.version, green.revision_id, green.description)
    ops.catalog.read = lambda _ref, *a: seen  # the state bob read, before the other write
    with pytest.raises(Conflict):
        approvals.approve(ref, "ok")
    assert ops.audit.records()[-1].outcome == "conflict"


def test_no_gate_without_the_policy(aws: FakeAws, trail: AuditTrail) -> None:
    ops = make_ops(aws, trail)
    change = ops.prepare_promote(ops.catalog.find(FN), None, "CHG-1")
    assert "approved" not in [g.name for g in change.gates]


def test_per_environment_policy_wins() -> None:
    policy = Policy(approvals_required=0, environment_approvals=(("production", 1),))
    assert policy.approvals_for("production") == 1
    assert policy.approvals_for("staging") == 0


def test_the_gate_wants_a_different_principal(aws: FakeAws, trail: AuditTrail) -> None:
    ops = make_ops(aws, trail)
    state = ops.catalog.read(ops.catalog.find(FN))
    request = ApprovalRequest(
        "3", "sha3", "1:user/a", "r", NOW, NOW + timedelta(hours=1), ("1:user/a",)
    )
    green = replace(state.green, description=request.to_description())
    state = replace(state, green=green)
    gate = approved_gate(state, "sha3", 1, NOW)
    assert not gate.passed and "waiting for 1" in gate.detail
    assert json.loads(green.description)["ok"] == ["1:user/a"]
    assert state.idle_colour is Colour.GREEN
