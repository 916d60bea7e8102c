"""Reading terraform's output: JSON messages, plain lines, locks, workspaces, plan accounts."""

from __future__ import annotations

import json

from bgtui.adapters.terraform.output import (
    CALLER_IDENTITY,
    STATE_ARNS,
    events_from_output,
    lock_from_lines,
    plain_level,
    plan_accounts,
    workspaces_from,
)
from bgtui.core.plan import LockInfo, PlanAccounts, PlanLevel, PlanLine, PlanSummary, Workspaces

PLAIN_LOCK = """\
Error: Error acquiring the state lock

Error message: ConditionalCheckFailedException: The conditional request failed
Lock Info:
  ID:        3f4a7c2e-5b1d-4e8f-9a0b-123456789abc
  Path:      bgtui-state/env:/production/orders-api.tfstate
  Operation: OperationTypePlan
  Who:       bob@bastion-2
  Version:   1.11.4
  Created:   2026-11-28 02:58:00.123 +0000 UTC
  Info:      nightly drift check
""".splitlines()


def test_a_json_message_becomes_its_text_and_level() -> None:
    raw = json.dumps({"@level": "warn", "@message": "Warning: deprecated", "type": "log"})
    assert events_from_output(raw) == [PlanLine("Warning: deprecated", PlanLevel.WARNING)]


def test_the_change_summary_gives_its_line_and_the_counts() -> None:
    changes = {"add": 2, "change": 1, "import": 1, "remove": 3, "operation": "plan"}
    raw = json.dumps(
        {"@level": "info", "@message": "Plan: ...", "type": "change_summary", "changes": changes}
    )
    line, summary = events_from_output(raw)
    assert line == PlanLine("Plan: ...")
    assert summary == PlanSummary(add=2, change=1, destroy=3, imports=1)
    assert summary.text == "Plan: 1 to import, 2 to add, 1 to change, 3 to destroy."


def test_plain_lines_pass_through_with_their_severity() -> None:
    assert events_from_output("Initializing the backend...") == [
        PlanLine("Initializing the backend...")
    ]
    assert events_from_output("{not json") == [PlanLine("{not json")]
    assert plain_level("│ Error: Missing required argument") is PlanLevel.ERROR
    assert plain_level("Warning: Value for undeclared variable") is PlanLevel.WARNING


def test_a_warning_diagnostic_keeps_its_detail() -> None:
    raw = json.dumps(
        {
            "@level": "warn",
            "@message": "Warning: Argument is deprecated",
            "type": "diagnostic",
            "diagnostic": {
                "severity": "warning",
                "summary": "Argument is deprecated",
                "detail": "Use region instead.\n\nSee the docs.",
            },
        }
    )
    assert [e.text for e in events_from_output(raw)] == [
        "Warning: Argument is deprecated",
        "  Use region instead.",
        "",
        "  See the docs.",
    ]
    assert {e.level for e in events_from_output(raw)} == {PlanLevel.WARNING}


def test_lock_info_is_read_from_plain_output() -> None:
    assert lock_from_lines(PLAIN_LOCK) == LockInfo(
        id="3f4a7c2e-5b1d-4e8f-9a0b-123456789abc",
        who="bob@bastion-2",
        operation="OperationTypePlan",
        created="2026-11-28 02:58:00.123 +0000 UTC",
        path="bgtui-state/env:/production/orders-api.tfstate",
        version="1.11.4",
        info="nightly drift check",
    )


def test_no_lock_without_the_lock_error() -> None:
    assert lock_from_lines(["Error: Invalid reference", "  ID: something"]) is None


def test_lock_text_names_the_holder() -> None:
    lock = lock_from_lines(PLAIN_LOCK)
    assert lock is not None
    assert lock.text == (
        "state locked by bob@bastion-2 since 2026-11-28 02:58:00.123 +0000 UTC "
        "(OperationTypePlan), lock id 3f4a7c2e-5b1d-4e8f-9a0b-123456789abc"
    )


def test_workspace_listing() -> None:
    listing = "  default\n  production\n* staging\n\n"
    assert workspaces_from(listing) == Workspaces(("default", "production", "staging"), "staging")


def test_a_message_spanning_lines_becomes_one_event_per_line() -> None:
    text = "\nInterrupt received.\nPlease wait for Terraform to exit or data loss may occur.\n"
    raw = json.dumps({"@level": "info", "@message": text, "type": "log"})
    assert events_from_output(raw) == [
        PlanLine("Interrupt received."),
        PlanLine("Please wait for Terraform to exit or data loss may occur."),
    ]


def saved_plan(*resources: dict[str, object], module: bool = True) -> dict[str, object]:
    """A document shaped as `terraform show -json PLAN` prints one (format 1.2)."""
    root: dict[str, object] = {"resources": []}
    if module:
        child = {"address": 'module.service["orders-api"]', "resources": list(resources)}
        root["child_modules"] = [child]
    else:
        root["resources"] = list(resources)
    return {"format_version": "1.2", "prior_state": {"values": {"root_module": root}}}


def caller_identity(account: str) -> dict[str, object]:
    return {
        "address": "data.aws_caller_identity.current",
        "mode": "data",
        "type": "aws_caller_identity",
        "values": {"account_id": account, "arn": f"arn:aws:sts::{account}:user/ci"},
    }


def managed(arn: str) -> dict[str, object]:
    return {"mode": "managed", "type": "aws_iam_role", "values": {"arn": arn}}


def test_the_caller_identity_read_while_planning_names_the_account() -> None:
    document = saved_plan(
        caller_identity("111111111111"), managed("arn:aws:iam::222222222222:role/x")
    )
    assert plan_accounts(document) == PlanAccounts(("111111111111",), CALLER_IDENTITY)


def test_without_it_the_state_arns_name_the_accounts() -> None:
    document = saved_plan(
        managed("arn:aws:lambda:eu-west-1:333333333333:function:orders-api"),
        managed("arn:aws:iam::333333333333:role/orders-api"),
        managed("arn:aws:s3:::a-bucket-has-no-account"),
        managed("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        module=False,
    )
    assert plan_accounts(document) == PlanAccounts(("333333333333",), STATE_ARNS)


def test_a_first_plan_without_caller_identity_names_no_account() -> None:
    assert plan_accounts(saved_plan()) == PlanAccounts()
    assert plan_accounts({"format_version": "1.2"}) == PlanAccounts()
    assert plan_accounts(saved_plan()).text == "the plan names no AWS account"


def test_two_accounts_in_one_plan_are_both_named() -> None:
    found = plan_accounts(saved_plan(caller_identity("1" * 12), caller_identity("2" * 12)))
    assert found.accounts == ("1" * 12, "2" * 12)
