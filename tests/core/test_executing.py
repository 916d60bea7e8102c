"""Executing: the intent is durable before the one write, a lost answer is re-read, never resent."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.change import Change, DeploySource
from bgtui.core.errors import Conflict, OperationFailed, Refused
from bgtui.core.executing import OutcomeUnknown
from bgtui.core.models import AliasState
from tests.core.parts import Parts, parts_of
from tests.fakes import FakeAws


@pytest.fixture
def parts(aws: FakeAws, trail: AuditTrail) -> Parts:
    return parts_of(aws, trail)


def rollback(parts: Parts) -> Change:
    return parts.planner.prepare_rollback(parts.catalog.find("payments-api"), reason="x")


def test_the_intent_is_written_before_the_write(
    parts: Parts, aws: FakeAws, trail: AuditTrail
) -> None:
    seen: list[list[str]] = []
    write = aws.update_alias

    def watched(*args: str) -> AliasState:
        seen.append([r.phase for r in trail.records()])
        return write(*args)

    aws.update_alias = watched  # type: ignore[method-assign]
    change = parts.planner.prepare_deploy(
        parts.catalog.find("payments-api"), DeploySource.existing("1"), "x"
    )
    result = parts.executor.execute(change, "yes")
    assert seen == [["intent"]]
    assert [r.phase for r in trail.records()] == ["intent", "outcome"]
    assert result.state_after is not None and result.state_after.green.version == "1"


def test_a_refused_change_records_why_and_writes_nothing(
    parts: Parts, aws: FakeAws, trail: AuditTrail
) -> None:
    change = parts.planner.prepare_promote(parts.catalog.find("payments-api"), reason="x")
    with pytest.raises(Refused, match="refused by gate smoke-passed"):
        parts.executor.execute(change, "payments-api")
    unblocked = replace(change, gates=())
    with pytest.raises(Refused, match="not confirmed"):
        parts.executor.execute(unblocked, "yes")
    assert [r.outcome for r in trail.records()] == ["refused", "refused"]
    assert "lambda:UpdateAlias" not in aws.calls


def test_a_lost_answer_to_a_write_that_landed_is_taken_as_written(
    parts: Parts, aws: FakeAws
) -> None:
    live = aws.functions["payments-api"].aliases["live"]
    aws.unreachable_on = {"after:live"}
    written = parts.executor.write("payments-api", live, "3", "d")
    assert written.version == "3" and aws.calls.count("lambda:UpdateAlias") == 1


def test_a_lost_write_that_did_not_land_fails_and_one_someone_else_made_conflicts(
    parts: Parts, aws: FakeAws
) -> None:
    live = aws.functions["payments-api"].aliases["live"]
    aws.unreachable_on = {"lambda:UpdateAlias"}
    with pytest.raises(OperationFailed, match="was not changed"):
        parts.executor.write("payments-api", live, "3", "d")
    aws.unreachable_on = set()
    aws.update_alias("payments-api", "live", "2", live.revision_id, "by someone else")
    aws.unreachable_on = {"lambda:UpdateAlias"}
    with pytest.raises(Conflict, match="changed by someone else"):
        parts.executor.write("payments-api", live, "3", "d")
    assert aws.calls.count("lambda:UpdateAlias") == 3, "each write sent once, never again"


def test_a_write_whose_answer_and_reread_are_lost_is_unknown(parts: Parts, aws: FakeAws) -> None:
    live = aws.functions["payments-api"].aliases["live"]
    aws.unreachable_on = {"after:live", "lambda:GetAlias"}
    with pytest.raises(OutcomeUnknown, match="write sent, endpoint lost"):
        parts.executor.write("payments-api", live, "3", "d")


def test_verification_must_find_what_was_written(parts: Parts, aws: FakeAws) -> None:
    written = aws.functions["payments-api"].aliases["live"].description
    assert parts.executor.verify("payments-api", "live", "2", written).version == "2"
    with pytest.raises(Conflict, match="found v2, expected v3"):
        parts.executor.verify("payments-api", "live", "3", written)
    with pytest.raises(Conflict, match="found v2, expected v2"):
        parts.executor.verify("payments-api", "live", "2", "another description")


def test_a_rollback_resets_a_redeployed_colour(
    parts: Parts, aws: FakeAws, trail: AuditTrail
) -> None:
    fn = aws.functions["payments-api"]
    record = fn.aliases["live"].description.replace(
        '"live":"blue"', '"live":"green","previous":{"colour":"blue","version":"2"}'
    )
    fn.aliases["live"] = replace(fn.aliases["live"], version="3", description=record)
    fn.aliases["blue"] = replace(fn.aliases["blue"], version="1")
    aws.stages["api0"]["test"] = replace(aws.stages["api0"]["test"], lambda_alias="blue")
    result = parts.executor.execute(rollback(parts), "payments-api")
    assert result.warnings == ("blue had been redeployed (v1); reset to v2",)
    assert (fn.aliases["live"].version, fn.aliases["blue"].version) == ("2", "2")
    assert aws.stages["api0"]["test"].lambda_alias == "green"
    assert trail.records()[-1].warnings == result.warnings


def test_a_test_stage_that_cannot_be_pointed_is_a_warning(parts: Parts, aws: FakeAws) -> None:
    change = parts.planner.prepare_deploy(
        parts.catalog.find("payments-api"), DeploySource.existing("1"), "x"
    )
    aws.stages["api0"]["test"] = replace(aws.stages["api0"]["test"], lambda_alias="blue")
    change = replace(change, state=parts.catalog.read(change.state.ref))
    aws.unreachable_on = {"apigateway:PATCH"}
    result = parts.executor.execute(change, "yes")
    assert result.warnings and result.warnings[0].startswith(
        "stage test may not point at the idle colour"
    )
