"""The main screen: the services, then everything about the selected one, one meaning per row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label

from bgtui.core.errors import BgtuiError
from bgtui.core.metrics import HealthWindow
from bgtui.core.models import Colour, ServiceState, VersionInfo
from bgtui.core.watch import WatchReport, WatchWindow
from bgtui.ui.widgets.bars import (
    CredentialsBar,
    OperationBar,
    OutcomeBar,
    StatusBar,
    TopBar,
    WalkthroughBar,
)
from bgtui.ui.widgets.health_panel import HealthPanel
from bgtui.ui.widgets.key_footer import KeyFooter
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.widgets.summary import ServiceSummary, StageHealth
from bgtui.ui.widgets.versions import VersionsTable
from bgtui.ui.widgets.watch_panel import WatchPanel

SECONDARY_KEYS = ("app.terraform", "app.chart", "filter")
"""Left out of the footer at 80 columns (listed by `?` and the palette) so the rest fit whole."""


class DashboardScreen(Screen[None]):
    """Its keys call the app's actions, so the command palette and the keys do the same thing.

    The services list sits above the selected service's detail, never beside it: a screen row
    then never holds two services, and the colour panels are stacked for the same reason.
    """

    CSS_PATH = "dashboard.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("p", "app.promote", "Promote"),
        Binding("r", "app.rollback", "Rollback"),
        Binding("d", "app.deploy", "Deploy"),
        Binding("t", "app.smoke", "Test"),
        Binding("a", "app.audit", "Audit"),
        Binding("f", "app.terraform", "Terraform"),
        Binding("c", "app.chart", "Chart"),
        Binding("slash", "filter", "Filter"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield CredentialsBar(id="credentials")
        yield WalkthroughBar(id="walkthrough")
        yield OperationBar(id="operation")
        yield ServiceList(id="services")
        with VerticalScroll(id="detail"):
            yield ServiceSummary(id="summary")
            yield WatchPanel(id="watch")
            yield HealthPanel(Colour.BLUE, id="blue")
            yield HealthPanel(Colour.GREEN, id="green")
            yield StageHealth(id="stages")
            yield Label("versions", classes="section")
            yield VersionsTable(id="versions")
        yield OutcomeBar(id="outcome")
        yield StatusBar(id="status")
        yield KeyFooter(SECONDARY_KEYS)

    def on_mount(self) -> None:
        self.query_one(ServiceList).table.focus()

    def action_filter(self) -> None:
        self.query_one(ServiceList).open_filter()

    def show_selected(
        self,
        function: str,
        state: ServiceState | None,
        window: HealthWindow | None,
        error: BgtuiError | None = None,
    ) -> None:
        found = self.query(ServiceSummary)
        if not found:
            return  # a worker's answer arriving before compose or after teardown
        summary = found.first()
        if error is not None and state is None:
            summary.show_error(function, error)
        else:
            summary.show(state, function)
        for panel in self.query(HealthPanel):
            panel.show(state, window)
        self.query_one(StageHealth).show(state, window)

    def show_watch(
        self, window: WatchWindow | None, report: WatchReport | None, now: datetime
    ) -> None:
        for panel in self.query(WatchPanel):
            panel.show(window, report, now)

    def show_versions(
        self, function: str, versions: Sequence[VersionInfo] | None, state: ServiceState | None
    ) -> None:
        found = self.query(VersionsTable)
        if not found:
            return
        table = found.first()
        if versions is None:
            table.show_loading(function)
        else:
            table.show(versions, state)
