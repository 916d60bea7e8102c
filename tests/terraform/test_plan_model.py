"""The UI-free plan values: summaries in words, and the state-lock error."""

from __future__ import annotations

from bgtui.core.plan import LockInfo, PlanSummary, StateLocked
from bgtui.errors import EXIT_REFUSED, TerraformError


def test_summary_wording() -> None:
    assert PlanSummary(0, 0, 0).text == "No changes."
    assert not PlanSummary(0, 0, 0).has_changes
    assert PlanSummary(1, 0, 2).text == "Plan: 1 to add, 0 to change, 2 to destroy."
    assert PlanSummary(0, 0, 0, imports=1).has_changes
    applied = PlanSummary(3, 1, 0, operation="apply")
    assert applied.text == "Apply complete: 3 added, 1 changed, 0 destroyed."


def test_state_locked_is_a_terraform_error_naming_the_holder() -> None:
    error = StateLocked(LockInfo(id="abc", who="carol@ops", created="2026-11-28 03:00:00 UTC"))
    assert isinstance(error, TerraformError)
    assert error.exit_code == EXIT_REFUSED
    assert (error.holder, error.id, error.created) == (
        "carol@ops",
        "abc",
        "2026-11-28 03:00:00 UTC",
    )
    assert str(error) == "state locked by carol@ops since 2026-11-28 03:00:00 UTC, lock id abc"


def test_a_lock_without_details_still_reads_well() -> None:
    assert LockInfo(id="abc").text == "state locked by an unknown holder, lock id abc"
