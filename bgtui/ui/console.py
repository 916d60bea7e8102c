"""What the dashboard needs from the console around it: the model, the service, the cadence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bgtui.app.backend import Backend
from bgtui.app.context_switch import ContextSwitcher
from bgtui.app.regional import RegionalServices
from bgtui.app.service import ReleaseService
from bgtui.ui.model import ConsoleModel
from bgtui.ui.terraform_session import TerraformSession


class Console(Protocol):
    """Satisfied by `BgtuiApp`; the dashboard acts through it and draws its own widgets."""

    model: ConsoleModel
    service: ReleaseService
    regions: RegionalServices
    """Every region the context reads; an action acts in the region of its row."""
    terraform: TerraformSession
    clock: Callable[[], datetime]
    switcher: ContextSwitcher | None

    def refresh_now(self, metrics_now: bool = False) -> None:
        """Read services (and metrics when due, or now with `metrics_now`) again."""

    def select(self, function: str) -> None:
        """Show `function` as the selected service."""

    def use_backend(self, backend: Backend) -> None:
        """Work in another context from now on (its backend built already)."""
