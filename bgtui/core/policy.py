"""Release policy: what an operation demands before it may change anything."""

from __future__ import annotations

import re
from dataclasses import dataclass

GATE_IDLE_DIFFERS = "idle-differs"
GATE_CONSISTENT = "consistent"
GATE_SMOKE = "smoke-passed"
GATE_IDLE_ALARMS = "idle-alarms"
GATE_REASON = "reason"
GATE_PREVIOUS = "previous-known"
GATE_VERSION = "version-exists"
GATE_APPROVED = "approved"

OVERRIDABLE_BY_DEFAULT = (GATE_SMOKE, GATE_IDLE_ALARMS)


@dataclass(frozen=True)
class Policy:
    """Rules every operation enforces, whatever the front end."""

    read_only: bool = False
    """Refuse every mutation."""

    require_reason: bool = True
    """Promote, rollback and deploy need a reason or change ticket."""

    ticket_pattern: str = ""
    """When set, the reason must contain a match (e.g. `CHG-[0-9]+`)."""

    smoke_max_age_minutes: int = 60
    """A smoke run older than this does not satisfy the promotion gate."""

    overridable: tuple[str, ...] = OVERRIDABLE_BY_DEFAULT
    """Gates an operator may override, with the reason recorded."""

    typed_confirmation: bool = True
    """Production changes need the function name typed, not just yes."""

    approvals_required: int = 0
    """Approvals by other principals a promote needs (two-person promote when 1)."""

    approval_minutes: int = 60
    """An approval request expires this many minutes after it was made."""

    environment_approvals: tuple[tuple[str, int], ...] = ()
    """`approvals_required` per environment tag, from `[policy.environment.<name>]`."""

    def approvals_for(self, environment: str) -> int:
        """Approvals a promote of a service in `environment` needs."""
        for name, required in self.environment_approvals:
            if name == environment:
                return required
        return self.approvals_required

    def reason_problem(self, reason: str) -> str:
        """Why this reason is not acceptable, or '' when it is."""
        text = reason.strip()
        if self.require_reason and not text:
            return "a reason or change ticket is required"
        if self.ticket_pattern and not re.search(self.ticket_pattern, text):
            return f"the reason must name a change ticket matching {self.ticket_pattern}"
        return ""
