"""One colour's health: its alarms and gap-aware sparklines for production and test traffic."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from bgtui.core.metrics import HealthWindow
from bgtui.core.models import Colour, ServiceState
from bgtui.ui.health_view import (
    METRICS,
    TRAFFIC_TITLES,
    Scales,
    latest_complete,
    series,
    shared_scales,
)
from bgtui.ui.labels import alarm_line, colour_label
from bgtui.ui.spark import format_value, spark_text

TRAFFICS = ("prod", "test")
LINES = 1 + len(TRAFFICS) * (1 + len(METRICS))
LABEL_WIDTH = 5
VALUE_WIDTH = 6


class HealthPanel(Widget, can_focus=True):
    """Focusable, so Enter or `c` on it opens the large chart of this colour's service."""

    DEFAULT_CSS = """
    HealthPanel { height: auto; padding: 0; text-wrap: nowrap; text-overflow: ellipsis; }
    HealthPanel { border: round #3d8bfd; border-title-color: #3d8bfd; }
    HealthPanel.-green { border: round #2fbf71; border-title-color: #2fbf71; }
    HealthPanel.-live { border: heavy #3d8bfd; border-title-style: bold reverse; }
    HealthPanel.-green.-live { border: heavy #2fbf71; }
    HealthPanel:focus { border: double $accent; }
    """

    BINDINGS = [Binding("enter", "app.chart", "Chart", show=False)]

    generation: reactive[int] = reactive(0)
    """Bumped whenever new data is shown, to repaint (the height never changes: no relayout)."""

    def __init__(self, colour: Colour, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.colour = colour
        self.state: ServiceState | None = None
        self.window: HealthWindow | None = None
        self.scales: Scales = shared_scales(None)
        self.border_title = f"{colour.symbol} {colour.value}"
        self.add_class(f"-{colour.value}")

    def show(self, state: ServiceState | None, window: HealthWindow | None) -> None:
        self.state, self.window = state, window
        self.scales = shared_scales(window)
        title = colour_label(state, self.colour) if state else self.colour.value
        if title != self.border_title:
            self.border_title = title
        self.set_class(state is not None and state.live_colour is self.colour, "-live")
        self.generation += 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return LINES

    def render(self) -> Text:
        width = max(self.content_region.width, 12)
        lines = [self._alarms_line()]
        for traffic in TRAFFICS:
            lines.append(Text(TRAFFIC_TITLES[traffic], style="bold"))
            lines.extend(
                self._metric_line(traffic, label, metric, width) for label, metric in METRICS
            )
        text = Text("\n").join(lines)
        text.no_wrap, text.overflow = True, "crop"
        return text

    def _alarms_line(self) -> Text:
        if self.state is None:
            return Text("alarms: reading…", style="dim")
        return alarm_line(self.state.alarms_for(self.colour.value), self.state.alarms_unreadable)

    def _metric_line(self, traffic: str, label: str, metric: str, width: int) -> Text:
        group = f"{self.colour.value}:{traffic}"
        values = series(self.window, group, metric)
        incomplete = self.window.incomplete if self.window else 0
        room = width - LABEL_WIDTH - VALUE_WIDTH - 1
        line = Text(label.ljust(LABEL_WIDTH), style="dim")
        if self.window is None:
            return line.append("reading metrics…", style="dim")
        spark = spark_text(values, incomplete, room, self.scales.top(traffic, metric))
        # Right-aligned, so the newest minute sits at the same column in every row.
        spark.pad_left(max(room - len(spark), 0))
        line.append_text(spark)
        reading = format_value(metric, latest_complete(values, incomplete))
        line.append(" " + reading.rjust(VALUE_WIDTH))
        return line
