"""The Terraform view's workers: asyncio ones, streaming every line to the screen as printed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing

from textual import work
from textual.message_pump import MessagePump

from bgtui.adapters.terraform.output import plan_accounts
from bgtui.core.errors import BgtuiError, Refused
from bgtui.core.plan import ApplyAccounts, PlanAccounts, PlanEvent, PlanLine
from bgtui.ui.messages import (
    TerraformAccountsRead,
    TerraformFinished,
    TerraformOutput,
    TerraformWorkspaces,
)
from bgtui.ui.terraform_port import RunnerFactory, TerraformPort, TerraformSetup
from bgtui.ui.workers import ConsoleWorkers

TERRAFORM = "terraform"
PLAN_FILE = ".bgtui.tfplan"
ACCOUNT_CHECK = "account check"


class TerraformWorkers(ConsoleWorkers):
    """One terraform run at a time; cancelling the worker stops terraform cleanly (SIGINT)."""

    terraform: TerraformSetup
    runner_factory: RunnerFactory | None = None
    _runner: TerraformPort | None = None

    async def terraform_runner(self) -> TerraformPort:
        if self._runner is None:
            factory = self.runner_factory or self.terraform.open_runner
            self._runner = await asyncio.to_thread(factory)
        return self._runner

    @work(exclusive=True, exit_on_error=False, group=TERRAFORM)
    async def terraform_plan(self, target: MessagePump, select: str = "") -> None:
        """Init when needed, select a workspace when asked, list workspaces, then plan."""

        async def plan() -> None:
            runner = await self.terraform_runner()
            await self._initialise(runner, target)
            if select:
                say(target, f"$ terraform workspace select {select}")
                await runner.select_workspace(select)
            workspaces = await runner.workspaces()
            target.post_message(TerraformWorkspaces(workspaces))
            say(target, f"$ terraform plan ({workspaces.current})")
            await stream(runner.plan(out=PLAN_FILE), target)

        await finished(target, "plan", plan)

    @work(exclusive=True, exit_on_error=False, group=TERRAFORM)
    async def terraform_accounts(self, target: MessagePump) -> None:
        """Read which account the saved plan ran against, and which one bgtui acts as."""

        async def check() -> None:
            target.post_message(TerraformAccountsRead(await self.apply_accounts()))

        await finished(target, ACCOUNT_CHECK, check)

    async def apply_accounts(self) -> ApplyAccounts:
        try:
            runner = await self.terraform_runner()
            plan = plan_accounts(await runner.plan_document(PLAN_FILE))
            caller = await asyncio.to_thread(self.service.identity)
        except BgtuiError as error:
            return ApplyAccounts(PlanAccounts(), None, f"{error.title}: {error}")
        return ApplyAccounts(plan, caller)

    @work(exclusive=True, exit_on_error=False, group=TERRAFORM)
    async def terraform_apply(self, target: MessagePump, accounts: ApplyAccounts) -> None:
        """Apply the saved plan; only one read to have run against the account bgtui acts as."""

        async def apply() -> None:
            if accounts.refusal:
                raise Refused(f"terraform apply refused: {accounts.refusal}")
            runner = await self.terraform_runner()
            say(target, f"$ terraform apply {PLAN_FILE}")
            await stream(runner.apply(PLAN_FILE, confirmed=True), target)

        await finished(target, "apply", apply)

    async def _initialise(self, runner: TerraformPort, target: MessagePump) -> None:
        if not runner.initialised:
            say(target, "$ terraform init")
            await stream(runner.init(), target)


def say(target: MessagePump, text: str) -> None:
    target.post_message(TerraformOutput(PlanLine(text)))


async def stream(events: AsyncIterator[PlanEvent], target: MessagePump) -> None:
    """Forward every event as it arrives; closing the iterator on the way out stops terraform."""
    async with aclosing(events) as lines:  # type: ignore[type-var]
        async for event in lines:
            target.post_message(TerraformOutput(event))


async def finished(target: MessagePump, operation: str, run: Callable[[], Awaitable[None]]) -> None:
    """Run, and whatever happens tell the screen how it ended (it unlocks the view)."""
    outcome = "failed"
    try:
        await run()
        outcome = "ok"
    except asyncio.CancelledError:
        outcome = "cancelled"
        raise
    except BgtuiError as error:
        say(target, f"{error.title}: {error}")
        raise
    finally:
        target.post_message(TerraformFinished(operation, outcome))
