"""A large chart of both colours' error rate and p99, for production or test traffic."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from bgtui.core.metrics import HealthWindow
from bgtui.core.models import Colour, ServiceState
from bgtui.core.plain_text import printable
from bgtui.ui.chart import build_chart
from bgtui.ui.health_view import TRAFFIC_TITLES
from bgtui.ui.labels import colour_label


def legend(state: ServiceState, traffic: str, incomplete: int) -> Text:
    name = printable(state.ref.display_name)
    text = Text.assemble((name, "bold"), f" · {TRAFFIC_TITLES[traffic]} · ")
    text.append("   ".join(colour_label(state, c) for c in Colour))
    if incomplete:
        text.append(f" · right of │ the last {incomplete} minutes are still filling")
    return text


class ChartScreen(Screen[None]):
    """Redrawn on every metrics refresh and on resize; `t` switches production/test traffic."""

    CSS_PATH = "chart.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("c", "app.pop_screen", "Back", show=False),
        Binding("t", "switch_traffic", "Prod/test traffic"),
    ]

    def __init__(self, state: ServiceState, window: HealthWindow | None) -> None:
        super().__init__()
        self.state, self.window = state, window
        self.traffic = "prod"

    def compose(self) -> ComposeResult:
        yield Static(id="chart-legend")
        yield Static(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.redraw)

    def on_resize(self) -> None:
        self.redraw()

    def show(self, state: ServiceState, window: HealthWindow | None) -> None:
        self.state, self.window = state, window
        self.redraw()

    def action_switch_traffic(self) -> None:
        self.traffic = "test" if self.traffic == "prod" else "prod"
        self.redraw()

    def redraw(self) -> None:
        chart = self.query_one("#chart", Static)
        incomplete = self.window.incomplete if self.window else 0
        self.query_one("#chart-legend", Static).update(legend(self.state, self.traffic, incomplete))
        if self.window is None:
            chart.update("metrics not read yet")
            return
        size = chart.content_region.size
        chart.update(build_chart(self.window, self.traffic, size.width, size.height))
