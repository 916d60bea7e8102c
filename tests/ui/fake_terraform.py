"""A Terraform runner stand-in: fixed plan lines and an optional hold (streaming, stopping)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path

from bgtui.core.plan import PlanEvent, PlanLevel, PlanLine, PlanSummary, Workspaces
from bgtui.errors import Refused

PLAN_LINES = (
    "module.service.aws_lambda_function.this: Refreshing state... [id=orders-api]",
    "",
    'module.service.aws_cloudwatch_metric_alarm.this["green-p99"]: Plan to update',
    "Warning: Argument is deprecated",
)


class FakeTerraform:
    """Records what the console asked for; `hold` pauses a plan after its lines until set."""

    def __init__(self, lines: Sequence[str] = PLAN_LINES, hold: asyncio.Event | None = None):
        self.lines = tuple(lines)
        self.hold = hold
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
