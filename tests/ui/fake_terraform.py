"""A Terraform runner stand-in: fixed plan lines and an optional hold (streaming, stopping)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bgtui.core.errors import Refused
from bgtui.core.plan import PlanEvent, PlanLevel, PlanLine, PlanSummary, Workspaces

CALLER_ACCOUNT = "123456789012"
"""The account FakeAws's caller identity belongs to."""
PLAN_LINES = (
    "module.service.aws_lambda_function.this: Refreshing state... [id=orders-api]",
    "",
    'module.service.aws_cloudwatch_metric_alarm.this["green-p99"]: Plan to update',
    "Warning: Argument is deprecated",
)


class FakeTerraform:
    """Records what the console asked for; `hold` pauses a plan after its lines until set."""

    def __init__(
        self,
        lines: Sequence[str] = PLAN_LINES,
        hold: asyncio.Event | None = None,
        account: str = CALLER_ACCOUNT,
    ):
        self.lines = tuple(lines)
        self.hold = hold
        self.account = account
        """The account the plan's caller identity names; empty for a plan that names none."""
        self.initialised = True
        self.names = ("default", "staging")
        self.current = "default"
        self.plans: list[Mapping[str, str]] = []
        self.applied: list[str] = []
        self.stopped = False

    def init(self, backend: bool = True, upgrade: bool = False) -> AsyncIterator[PlanEvent]:
        return self._stream(["Terraform has been successfully initialized!"], None)

    def plan(
        self,
        workspace: str | None = None,
        var: Mapping[str, str] | None = None,
        out: str | Path | None = None,
    ) -> AsyncIterator[PlanEvent]:
        self.plans.append(dict(var or {}))
        return self._stream(self.lines, PlanSummary(0, 1, 0, plan_file=str(out)), self.hold)

    def apply(self, plan_file: str | Path, *, confirmed: bool = False) -> AsyncIterator[PlanEvent]:
        if not confirmed:
            raise Refused("terraform apply needs the operator's confirmation of the plan")
        self.applied.append(str(plan_file))
        summary = PlanSummary(0, 1, 0, operation="apply")
        return self._stream(["Apply complete! Resources: 0 added, 1 changed."], summary)

    async def plan_document(self, plan_file: str | Path) -> Mapping[str, Any]:
        """Shaped as `terraform show -json` prints it, with the caller identity in a module."""
        identity = {
            "address": "module.service.data.aws_caller_identity.current",
            "mode": "data",
            "type": "aws_caller_identity",
            "values": {"account_id": self.account, "id": self.account},
        }
        child = {"address": "module.service", "resources": [identity] if self.account else []}
        values = {"root_module": {"child_modules": [child]}}
        return {"format_version": "1.2", "prior_state": {"values": values}}

    async def workspaces(self) -> Workspaces:
        return Workspaces(self.names, self.current)

    async def select_workspace(self, name: str, create: bool = False) -> None:
        self.current = name

    async def _stream(
        self,
        lines: Sequence[str],
        summary: PlanSummary | None,
        hold: asyncio.Event | None = None,
    ) -> AsyncIterator[PlanEvent]:
        finished = False
        try:
            for text in lines:
                level = PlanLevel.WARNING if text.startswith("Warning") else PlanLevel.INFO
                yield PlanLine(text, level)
                await asyncio.sleep(0)
            if hold is not None:
                await hold.wait()
            finished = True
        finally:
            self.stopped = self.stopped or not finished
        if summary is not None:
            yield summary
