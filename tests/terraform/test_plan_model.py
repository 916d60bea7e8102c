"""The UI-free plan values: summaries in words, the state-lock error, the apply account check."""

from __future__ import annotations

from bgtui.core.errors import EXIT_REFUSED, TerraformError
from bgtui.core.models import Identity
from bgtui.core.plan import ApplyAccounts, LockInfo, PlanAccounts, PlanSummary, StateLocked


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


CALLER = Identity("123456789012", "arn:aws:sts::123456789012:assumed-role/oncall/ana", "ana@b")
FROM_DATA = "data.aws_caller_identity"


def test_an_apply_to_the_callers_account_goes_ahead_and_shows_both() -> None:
    check = ApplyAccounts(PlanAccounts(("123456789012",), FROM_DATA), CALLER)
    assert check.refusal == ""
    assert check.lines == (
        "plan ran against account 123456789012 (from data.aws_caller_identity)",
        "bgtui acts as account 123456789012 (arn:aws:sts::123456789012:assumed-role/oncall/ana)",
    )


def test_an_apply_to_another_account_is_refused_naming_both() -> None:
    refusal = ApplyAccounts(PlanAccounts(("210987654321",), FROM_DATA), CALLER).refusal
    assert "account 210987654321" in refusal and "acts as account 123456789012" in refusal
    both = PlanAccounts(("123456789012", "210987654321"), FROM_DATA)
    assert ApplyAccounts(both, CALLER).refusal, "a plan touching another account too is refused"


def test_an_apply_is_refused_when_either_account_is_unknown() -> None:
    assert "does not say which AWS account" in ApplyAccounts(PlanAccounts(), CALLER).refusal
    plan = PlanAccounts(("123456789012",), FROM_DATA)
    assert "which account bgtui acts as" in ApplyAccounts(plan, None).refusal
    failed = ApplyAccounts(PlanAccounts(), None, "Credentials: the token expired")
    assert failed.refusal.endswith("the token expired")
