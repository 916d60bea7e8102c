"""What a terraform run reports, free of any UI: its lines, its change summary, a state lock."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from bgtui.errors import TerraformError


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
