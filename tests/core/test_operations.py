"""The operations against fakes: gates, the single swap, conflicts, rollback, unknown outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.change import DeploySource
from bgtui.core.errors import Conflict, OperationFailed, Refused
from bgtui.core.models import AlarmState, Colour
from bgtui.core.operations import BlueGreen
from bgtui.core.policy import Policy
from tests.core.conftest import make_ops
from tests.fakes import FakeAws


def promote(ops: BlueGreen, fn: str = "payments-api", reason: str = "CHG-1", **kw: object):
    ref = ops.catalog.find(fn)
    change = ops.prepare_promote(ref, reason=reason, **kw)  # type: ignore[arg-type]
    return ops.execute(change, change.confirmation_text)


def test_promote_swaps_live_with_one_update_alias(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    ref = ops.catalog.find("payments-api")
    change = ops.prepare_promote(ref, reason="CHG-1")
    assert not change.blocked, change.failed_gates
    aws.calls.clear()
    result = ops.execute(change, "payments-api")
    assert aws.calls.count("lambda:UpdateAlias") == 1
    assert result.state_after is not None
    assert result.state_after.live_colour is Colour.GREEN
    assert result.state_after.live.version == "3"
    assert result.state_after.previous.version == "2"
    assert aws.stages["api0"]["test"].lambda_alias == "blue"


def test_promote_without_smoke_is_refused_naming_the_gate(ops: BlueGreen, aws: FakeAws) -> None:
    with pytest.raises(Refused, match="smoke-passed"):
        promote(ops)
    assert aws.functions["payments-api"].aliases["live"].version == "2"


def test_broken_candidate_fails_smoke_and_blocks(ops: BlueGreen, aws: FakeAws) -> None:
    report = ops.run_smoke(ops.catalog.find("ledger-writer"))
    assert not report.passed
    with pytest.raises(Refused, match="smoke FAILED"):
        promote(ops, "ledger-writer")


def test_override_with_reason_lets_a_failed_smoke_through(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("ledger-writer"))
    result = promote(ops, "ledger-writer", overrides={"smoke-passed": "hotfix, tested by hand"})
    assert result.state_after.live.version == "3"
    gates = [r for r in ops.audit.records() if r.phase == "intent"][-1].gates
    assert {"gate": "smoke-passed", "result": "overridden"}.items() <= gates[2].as_dict().items()


def test_alarm_on_idle_blocks(ops: BlueGreen, aws: FakeAws) -> None:
    aws.alarms.append(AlarmState("payments-api-green-errors", "ALARM", "green", "errors"))
    ops.run_smoke(ops.catalog.find("payments-api"))
    with pytest.raises(Refused, match="idle-alarms"):
        promote(ops)


def test_missing_reason_refused(ops: BlueGreen) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    with pytest.raises(Refused, match="reason"):
        promote(ops, reason=" ")


def test_wrong_confirmation_changes_nothing(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="x")
    with pytest.raises(Refused, match="not confirmed"):
        ops.execute(change, "yes")
    assert "lambda:UpdateAlias" not in aws.calls


def test_stale_revision_is_a_conflict_and_nothing_changes(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="x")
    live = aws.functions["payments-api"].aliases["live"]
    aws.update_alias("payments-api", "live", live.version, live.revision_id, live.description)
    with pytest.raises(Conflict):
        ops.execute(change, "payments-api")
    assert aws.functions["payments-api"].aliases["live"].version == "2"
    assert ops.audit.records()[-1].outcome == "conflict"


def test_promote_to_the_live_colour_is_a_conflict(ops: BlueGreen) -> None:
    with pytest.raises(Conflict, match="blue is live"):
        ops.prepare_promote(ops.catalog.find("payments-api"), to=Colour.BLUE, reason="x")


def test_rollback_returns_to_previous(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    promote(ops)
    change = ops.prepare_rollback(ops.catalog.find("payments-api"), reason="errors")
    result = ops.execute(change, "payments-api")
    assert result.state_after.live_colour is Colour.BLUE
    assert result.state_after.live.version == "2"
    assert aws.stages["api0"]["test"].lambda_alias == "green"


def test_rollback_after_redeploy_goes_to_recorded_version(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    promote(ops)
    deploy = ops.prepare_deploy(ops.catalog.find("payments-api"), DeploySource.existing("1"), "x")
    ops.execute(deploy, deploy.confirmation_text)
    change = ops.prepare_rollback(ops.catalog.find("payments-api"), reason="bad")
    result = ops.execute(change, "payments-api")
    assert result.state_after.live.version == "2"
    assert result.state_after.blue.version == "2"
    assert any("redeployed" in w for w in result.warnings)


def test_rollback_from_wrong_colour_is_conflict(ops: BlueGreen) -> None:
    with pytest.raises(Conflict):
        ops.prepare_rollback(ops.catalog.find("payments-api"), Colour.GREEN, "x")


def test_rollback_without_previous_refused(ops: BlueGreen) -> None:
    change = ops.prepare_rollback(ops.catalog.find("payments-api"), reason="x")
    with pytest.raises(Refused, match="previous-known"):
        ops.execute(change, "payments-api")


def test_deploy_zip_publishes_and_points_idle(ops: BlueGreen, aws: FakeAws) -> None:
    source = DeploySource.from_zip("build.zip", b"PK-code")
    change = ops.prepare_deploy(ops.catalog.find("payments-api"), source, "release 42")
    assert change.confirmation_text == "yes"
    result = ops.execute(change, "yes")
    assert result.state_after.green.version == "4"
    assert result.state_after.live.version == "2"


def test_deploy_unknown_version_refused(ops: BlueGreen) -> None:
    change = ops.prepare_deploy(ops.catalog.find("payments-api"), DeploySource.existing("99"), "x")
    with pytest.raises(Refused, match="version-exists"):
        ops.execute(change, "yes")


def test_read_only_refuses_everything(aws: FakeAws, trail: AuditTrail) -> None:
    ops = make_ops(aws, trail, Policy(read_only=True))
    with pytest.raises(Refused, match="read-only"):
        ops.prepare_promote(ops.catalog.find("payments-api"), reason="x")
    assert "lambda:UpdateAlias" not in aws.calls
    assert trail.records()[-1].outcome == "refused"


def test_lost_endpoint_after_write_is_unknown_then_reconciled(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="x")
    aws.unreachable_on = {"after:live", "lambda:GetAlias"}
    with pytest.raises(OperationFailed, match="outcome unknown"):
        ops.execute(change, "payments-api")
    assert ops.audit.records()[-1].outcome == "unknown"
    aws.unreachable_on = set()
    state = ops.catalog.read(ops.catalog.find("payments-api"))
    settled = ops.reconcile(state)
    assert settled and settled[0].applied is True
    assert ops.reconcile(state) == []


def test_lost_endpoint_before_write_lands_is_failed_not_claimed(
    ops: BlueGreen, aws: FakeAws
) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="x")
    aws.unreachable_on = {"lambda:UpdateAlias"}
    with pytest.raises(OperationFailed, match="not changed"):
        ops.execute(change, "payments-api")
    assert aws.functions["payments-api"].aliases["live"].version == "2"
    assert ops.audit.records()[-1].outcome == "failed"


def test_intent_precedes_outcome_and_chain_verifies(ops: BlueGreen, aws: FakeAws) -> None:
    ops.run_smoke(ops.catalog.find("payments-api"))
    promote(ops)
    records = ops.audit.records()
    phases = [(r.action, r.phase, r.outcome) for r in records]
    assert phases[-2:] == [("promote", "intent", None), ("promote", "outcome", "ok")]
    assert ops.audit.verify().ok
    assert aws.shipped and aws.shipped[-1][0] == "/bgtui/audit/payments-api"


def test_test_stage_ends_on_the_idle_colour_when_another_swap_lands_first(
    ops: BlueGreen, aws: FakeAws
) -> None:
    from bgtui.core.models import LiveRecord, PreviousLive

    ops.run_smoke(ops.catalog.find("payments-api"))
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="x")
    original = aws.point_stage

    def someone_else_rolls_back_first(api_id: str, stage: str, alias: str):  # type: ignore[no-untyped-def]
        aws.point_stage = original  # type: ignore[method-assign]
        live = aws.functions["payments-api"].aliases["live"]
        record = LiveRecord(Colour.BLUE, PreviousLive(Colour.GREEN, live.version))
        aws.update_alias("payments-api", "live", "2", live.revision_id, record.to_description())
        return original(api_id, stage, alias)

    aws.point_stage = someone_else_rolls_back_first  # type: ignore[method-assign]
    ops.execute(change, "payments-api")
    assert aws.functions["payments-api"].aliases["live"].version == "2"
    assert aws.stages["api0"]["test"].lambda_alias == "green"


def test_a_trail_or_identity_set_on_the_facade_is_the_one_every_part_uses(
    ops: BlueGreen, tmp_path: Path
) -> None:
    other = AuditTrail(tmp_path / "other.jsonl")
    ops.audit = other
    ops.run_smoke(ops.catalog.find("payments-api"))
    assert [r.action for r in other.records()] == ["test"]
    assert ops.recorder.audit is other and ops.audit is other
