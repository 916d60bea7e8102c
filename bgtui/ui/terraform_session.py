"""The console's Terraform root: its runner, built once, and its runs streamed to a screen."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing

from textual.message_pump import MessagePump

from bgtui.adapters.terraform.output import plan_accounts
from bgtui.core.errors import BgtuiError
from bgtui.core.models import Identity
from bgtui.core.plan import ApplyAccounts, PlanAccounts, PlanEvent, PlanLine
from bgtui.ui.messages import TerraformFinished, TerraformOutput
from bgtui.ui.terraform_port import RunnerFactory, TerraformPort, TerraformSetup

TERRAFORM = "terraform"
PLAN_FILE = ".bgtui.tfplan"
ACCOUNT_CHECK = "account check"


class TerraformSession:
    """One runner for the console's life (terraform init once); `actor` says who bgtui acts as."""

    def __init__(
        self,
        setup: TerraformSetup,
        actor: Callable[[], Identity],
        factory: RunnerFactory | None = None,
        read_only: bool = False,
    ) -> None:
        self.setup = setup
        self.actor = actor
        self.factory = factory or setup.open_runner
        self.read_only = read_only
        self._runner: TerraformPort | None = None

    @property
    def where(self) -> str:
        return self.setup.where

    async def runner(self) -> TerraformPort:
        if self._runner is None:
            self._runner = await asyncio.to_thread(self.factory)
        return self._runner

    async def apply_accounts(self) -> ApplyAccounts:
        """Which account the saved plan ran against, and which one bgtui acts as."""
        try:
            runner = await self.runner()
            plan = plan_accounts(await runner.plan_document(PLAN_FILE))
            caller = await asyncio.to_thread(self.actor)
        except BgtuiError as error:
            return ApplyAccounts(PlanAccounts(), None, f"{error.title}: {error}")
        return ApplyAccounts(plan, caller)


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
