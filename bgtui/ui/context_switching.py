"""Changing context without a restart: the new backend is taken between refreshes, read anew."""

from __future__ import annotations

from bgtui.app.context_switch import ContextSwitcher
from bgtui.app.wiring import Backend
from bgtui.core.metrics_schedule import MetricsSchedule
from bgtui.ui.actions import ConsoleActions
from bgtui.ui.model import ConsoleModel
from bgtui.ui.screens.contexts import ContextScreen
from bgtui.ui.terraform_port import terraform_setup
from bgtui.ui.widgets.bars import CredentialsBar, StatusBar, TopBar
from bgtui.ui.widgets.context_bar import ContextBar
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.workers import OPERATION, REFRESH

ANSWERS_OF_ONE_CONTEXT = ("versions", "identity")
"""Worker groups whose answers belong to the backend that asked: dropped at a switch."""


class ContextSwitching(ConsoleActions):
    """`x` and the palette's "Switch context"; read-only follows the context chosen."""

    switcher: ContextSwitcher | None = None
    schedule: MetricsSchedule
    demo: bool
    endpoint_host: str
    _next_backend: Backend | None = None

    def action_switch_context(self) -> None:
        if self.switcher is None or not self.switcher.contexts:
            self.notify(
                "no [[context]] tables in the configuration: see README, Contexts",
                title="No contexts",
                severity="warning",
            )
            return
        if self.group_running(OPERATION):
            self.notify(
                "an operation is running: switch when its outcome is in",
                title="Not now",
                severity="warning",
            )
            return
        current = self.backend.settings.context
        self.push_screen(ContextScreen(self.switcher, current), self._context_chosen)

    def _context_chosen(self, backend: Backend | None) -> None:
        if backend is None:
            return
        for group in ANSWERS_OF_ONE_CONTEXT:
            self.workers.cancel_group(self, group)
        self._next_backend = backend
        self.take_next_backend()

    def take_next_backend(self) -> None:
        """Only while no refresh runs: a read of the old context never lands in the new one."""
        if self._next_backend is None or self.group_running(REFRESH):
            return
        backend, self._next_backend = self._next_backend, None
        self.backend = backend
        self.model = ConsoleModel()
        self.schedule.forget()
        self.terraform = terraform_setup(backend.settings, self.demo)
        self._show_context()
        self.notify(
            f"now in context {backend.settings.context}: reading everything anew",
            title="Context switched",
        )
        self.load_identity()
        self.refresh_now(metrics_now=True)

    def _show_context(self) -> None:
        dashboard = self.dashboard
        dashboard.query_one(TopBar).read_only = self.read_only
        dashboard.query_one(TopBar).stale = ""
        dashboard.query_one(CredentialsBar).show("")
        dashboard.query_one(ContextBar).where = self.backend.whereabouts()
        status = dashboard.query_one(StatusBar)
        status.aws_region, status.account, status.refreshed = self.backend.region, "…", "never"
        status.endpoint_host = self.endpoint_host
        dashboard.query_one(ServiceList).show((), {}, (), "")
        dashboard.show_selected("", None, None)
        dashboard.show_versions("", (), None)
