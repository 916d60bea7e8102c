"""What the Terraform view needs from a runner, and which root it plans with which settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bgtui.app.settings import Settings
from bgtui.core.errors import BadInput
from bgtui.core.plan import PlanEvent, Workspaces


class TerraformPort(Protocol):
    """Satisfied by `bgtui.adapters.terraform.process.TerraformRunner` and by test fakes."""

    @property
    def initialised(self) -> bool: ...

    def init(self, backend: bool = True, upgrade: bool = False) -> AsyncIterator[PlanEvent]: ...

    def plan(
        self,
        workspace: str | None = None,
        var: Mapping[str, str] | None = None,
        out: str | Path | None = None,
    ) -> AsyncIterator[PlanEvent]: ...

    def apply(
        self, plan_file: str | Path, *, confirmed: bool = False
    ) -> AsyncIterator[PlanEvent]: ...

    async def plan_document(self, plan_file: str | Path) -> Mapping[str, Any]: ...

    async def workspaces(self) -> Workspaces: ...

    async def select_workspace(self, name: str, create: bool = False) -> None: ...


RunnerFactory = Callable[[], TerraformPort]


@dataclass(frozen=True)
class TerraformSetup:
    """The root the console plans, and the settings its runner is built from."""

    directory: Path | None
    settings: Settings = field(default_factory=Settings)

    @property
    def where(self) -> str:
        return str(self.directory) if self.directory else "no Terraform directory configured"

    def open_runner(self) -> TerraformPort:
        """The runner `bgtui plan` would build (blocking: finds the mirror; use a thread)."""
        from bgtui.app.terraform import make_runner

        if self.directory is None:
            raise BadInput("no Terraform directory: set [terraform] dir in the configuration")
        return make_runner(self.settings, self.directory)


def terraform_setup(settings: Settings, demo: bool) -> TerraformSetup:
    """`[terraform] dir`; in demo mode that is the root of the demo's own services, in the run's
    own directory (never a source tree: terraform writes its state beside the root it plans)."""
    del demo  # the demo names its root through the settings, like any operator
    return TerraformSetup(
        Path(settings.terraform_dir) if settings.terraform_dir else None, settings
    )
