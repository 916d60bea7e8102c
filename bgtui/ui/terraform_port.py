"""What the Terraform view needs from a runner, and which root and variables it plans."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bgtui.config import Settings
from bgtui.core.plan import PlanEvent, Workspaces
from bgtui.errors import BadInput


class TerraformPort(Protocol):
    """Satisfied by `bgtui.adapters.terraform_process.TerraformRunner` and by test fakes."""

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

    async def workspaces(self) -> Workspaces: ...

    async def select_workspace(self, name: str, create: bool = False) -> None: ...


RunnerFactory = Callable[[], TerraformPort]


@dataclass(frozen=True)
class TerraformSetup:
    """The root the console plans, the variables it passes, and how to build the runner."""

    directory: Path | None
    variables: Mapping[str, str] = field(default_factory=dict)
    mirror: str = ""

    @property
    def where(self) -> str:
        return str(self.directory) if self.directory else "no Terraform directory configured"

    def open_runner(self) -> TerraformPort:
        """Find the provider mirror and write the CLI configuration (blocking: use a thread)."""
        from bgtui.adapters.terraform_mirror import prepare_cli_config
        from bgtui.adapters.terraform_process import TerraformRunner

        if self.directory is None:
            raise BadInput("no Terraform directory: set [terraform] dir in the configuration")
        return TerraformRunner(self.directory, prepare_cli_config(self.mirror))


def terraform_setup(settings: Settings, demo: bool) -> TerraformSetup:
    """`[terraform] dir`; in demo mode that is the root of the demo's own services, in the run's
    own directory (never a source tree: terraform writes its state beside the root it plans)."""
    variables = {"endpoint": settings.endpoint_url} if demo and settings.endpoint_url else {}
    if settings.terraform_dir:
        return TerraformSetup(Path(settings.terraform_dir), variables, settings.provider_mirror)
    return TerraformSetup(None, variables, settings.provider_mirror)
