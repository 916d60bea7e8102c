"""What a terraform run reports, free of any UI: lines, change summary, state lock, account."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from bgtui.core.errors import TerraformError
from bgtui.core.models import Identity


class PlanLevel(StrEnum):
    """How a line should be shown: plain, as a warning, or as an error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class PlanLine:
    """One human-readable line, in the order terraform printed it."""

    text: str
    level: PlanLevel = PlanLevel.INFO


@dataclass(frozen=True)
class PlanSummary:
    """The change counts of a plan or an apply, from terraform's own summary."""

    add: int
    change: int
    destroy: int
    imports: int = 0
    operation: str = "plan"
    plan_file: str = ""

    @property
    def has_changes(self) -> bool:
        return any((self.add, self.change, self.destroy, self.imports))

    @property
    def text(self) -> str:
        if self.operation != "plan":
            done = f"{self.add} added, {self.change} changed, {self.destroy} destroyed"
            return f"Apply complete: {done}."
        if not self.has_changes:
            return "No changes."
        imported = f"{self.imports} to import, " if self.imports else ""
        counts = f"{self.add} to add, {self.change} to change, {self.destroy} to destroy"
        return f"Plan: {imported}{counts}."


PlanEvent = PlanLine | PlanSummary


class Workspaces(NamedTuple):
    """The workspaces of a Terraform root and the one currently selected."""

    names: tuple[str, ...]
    current: str


@dataclass(frozen=True)
class LockInfo:
    """Who holds a Terraform state lock, as terraform reports it."""

    id: str
    who: str = ""
    operation: str = ""
    created: str = ""
    path: str = ""
    version: str = ""
    info: str = ""

    @property
    def text(self) -> str:
        holder = self.who or "an unknown holder"
        since = f" since {self.created}" if self.created else ""
        doing = f" ({self.operation})" if self.operation else ""
        return f"state locked by {holder}{since}{doing}, lock id {self.id}"


class StateLocked(TerraformError):
    """Another terraform run holds the state lock; nothing was planned or applied."""

    title = "State locked"

    def __init__(self, lock: LockInfo) -> None:
        super().__init__(lock.text)
        self.lock = lock

    @property
    def holder(self) -> str:
        return self.lock.who

    @property
    def id(self) -> str:
        return self.lock.id

    @property
    def created(self) -> str:
        return self.lock.created


@dataclass(frozen=True)
class PlanAccounts:
    """The AWS accounts a saved plan was made against, as terraform recorded them in the plan."""

    accounts: tuple[str, ...] = ()
    source: str = ""
    """Where in the plan they were read, e.g. `data.aws_caller_identity`."""

    @property
    def text(self) -> str:
        if not self.accounts:
            return "the plan names no AWS account"
        return f"account {', '.join(self.accounts)} (from {self.source})"


@dataclass(frozen=True)
class ApplyAccounts:
    """The plan's account beside the account bgtui acts as: an apply needs them to be one."""

    plan: PlanAccounts
    caller: Identity | None
    problem: str = ""
    """Why either side could not be read, when it could not."""

    @property
    def refusal(self) -> str:
        """Why an apply of this plan is refused; empty when it may go ahead."""
        if self.problem:
            return f"cannot tell which account the plan would change: {self.problem}"
        if self.caller is None:
            return "cannot tell which account bgtui acts as"
        if not self.plan.accounts:
            return (
                "the plan does not say which AWS account it ran against: add "
                'data "aws_caller_identity" to the root, or apply it outside bgtui'
            )
        if self.plan.accounts != (self.caller.account,):
            return (
                f"the plan ran against {self.plan.text}, but bgtui acts as account "
                f"{self.caller.account}: start bgtui with the profile the plan used, or plan again"
            )
        return ""

    @property
    def lines(self) -> tuple[str, ...]:
        """What the confirmation shows: both accounts, so the operator sees they are one."""
        caller = (
            f"bgtui acts as account {self.caller.account} ({self.caller.arn})"
            if self.caller
            else "bgtui's account is unknown"
        )
        return (f"plan ran against {self.plan.text}", caller)
