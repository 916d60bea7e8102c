"""One colour's health: a row per kind of its traffic, with that traffic's figures and alarms."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from bgtui.core.metrics import HealthWindow
from bgtui.core.models import LIVE_ALIAS, Colour, ServiceRef, ServiceState
from bgtui.core.plain_text import printable
from bgtui.ui.health_view import Scales, latest_complete, series, shared_scales
from bgtui.ui.labels import alarm_line, colour_label
from bgtui.ui.spark import format_value, spark_text
from bgtui.ui.widgets.bars import BADGE

TRAFFICS = ("prod", "test")
LINES = 1 + len(TRAFFICS)
LABEL_WIDTH = 18
VALUE_WIDTH = 6
GAP = 2
SPARK_MIN, SPARK_MAX = 4, 40
COUNTS = (("req/min", "invocations"), ("thr/min", "throttles"))
COUNT_WIDTH = 8
COUNTS_FROM_WIDTH = 96
"""Narrower than this, the request and throttle counts give way to the error and p99 trends."""
ALARMS_WIDTH = len("errors ALARM · p99 OK")
"""Room kept for the alarms, the same in both panels so their columns line up."""


def traffic_label(colour: Colour, traffic: str, ref: ServiceRef | None = None) -> str:
    """Whose traffic a row measures: production through `live`, or tests through the colour;
    by the service's own alias names when they are mapped."""
    live = ref.live_alias if ref else LIVE_ALIAS
    alias = ref.alias_name(colour) if ref else colour.value
    # Cut to the label column: a long alias name must not shift the trends.
    return (
        f"prod via {live}"[:LABEL_WIDTH] if traffic == "prod" else f"test via {alias}"[:LABEL_WIDTH]
    )


class HealthPanel(Widget, can_focus=True):
    """Focusable, so Enter or `c` on it opens the large chart of this colour's service."""

    DEFAULT_CSS = """
    HealthPanel { height: auto; padding: 0 0 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    HealthPanel { border-left: tall #3d8bfd; }
    HealthPanel.-green { border-left: tall #2fbf71; }
    HealthPanel.-live { border-left: thick #3d8bfd; }
    HealthPanel.-green.-live { border-left: thick #2fbf71; }
    HealthPanel:focus { border-left: double $accent; background: $boost; }
    """

    BINDINGS = [Binding("enter", "screen.chart", "Chart", show=False)]

    generation: reactive[int] = reactive(0)
    """Bumped whenever new data is shown, to repaint (the height never changes: no relayout)."""
    stale: reactive[str] = reactive("", layout=True)
    """Why these trends are not current (their region's metrics read failed); empty when fresh."""

    def __init__(self, colour: Colour, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.colour = colour
        self.state: ServiceState | None = None
        self.window: HealthWindow | None = None
        self.scales: Scales = shared_scales(None)
        self.add_class(f"-{colour.value}")

    @property
    def title(self) -> str:
        """`LIVE ◆ blue v2`: every row of the panel is about this colour and version."""
        if self.state is None:
            return f"{self.colour.symbol} {self.colour.value}"
        return colour_label(self.state, self.colour)

    def show(self, state: ServiceState | None, window: HealthWindow | None) -> None:
        self.state, self.window = state, window
        self.scales = shared_scales(window)
        self.set_class(state is not None and state.live_colour is self.colour, "-live")
        self.generation += 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return LINES + bool(self.stale)

    def render(self) -> Text:
        width = max(self.content_region.width, 20)
        counts = COUNTS if width >= COUNTS_FROM_WIDTH else ()
        alarms = {t: self._alarms(t) for t in TRAFFICS}
        fixed = LABEL_WIDTH + 2 * (1 + VALUE_WIDTH + GAP) + len(counts) * COUNT_WIDTH + ALARMS_WIDTH
        spark = min(max((width - fixed) // 2, SPARK_MIN), SPARK_MAX)
        lines = [self._header(spark, counts)]
        lines += [self._row(t, spark, counts, alarms[t]) for t in TRAFFICS]
        if self.stale:
            lines.append(Text.assemble((" STALE ", BADGE), " ", printable(self.stale)))
        text = Text("\n").join(lines)
        text.no_wrap, text.overflow = True, "ellipsis"
        return text

    def _header(self, spark: int, counts: tuple[tuple[str, str], ...]) -> Text:
        live = self.state is not None and self.state.live_colour is self.colour
        text = Text(self.title.ljust(LABEL_WIDTH - 1), style="bold reverse" if live else "bold")
        text.append(" ")
        for title in ("error %", "p99"):
            text.append(title.ljust(spark + 1 + VALUE_WIDTH + GAP), style="dim")
        for title, _ in counts:
            text.append(title.rjust(COUNT_WIDTH - GAP) + " " * GAP, style="dim")
        text.append("alarms", style="dim")
        return text

    def _alarms(self, traffic: str) -> Text:
        if self.state is None:
            return Text("reading…", style="dim")
        unreadable = self.state.alarms_unreadable
        if traffic == "test":
            return alarm_line(self.state.alarms_for(self.colour.value), unreadable)
        if self.state.live_colour is self.colour:
            return alarm_line(self.state.alarms_for("live"), unreadable)
        # The live alias's alarms watch whichever colour is live now, not this one.
        return Text("— (not live now)", style="dim")

    def _row(
        self, traffic: str, spark: int, counts: tuple[tuple[str, str], ...], alarms: Text
    ) -> Text:
        ref = self.state.ref if self.state else None
        line = Text(traffic_label(self.colour, traffic, ref).ljust(LABEL_WIDTH), style="dim")
        for metric in ("error_rate", "p99"):
            line.append_text(self._trend(traffic, metric, spark))
            line.append(" " * GAP)
        for _, metric in counts:
            reading = format_value(metric, self._latest(traffic, metric))
            line.append(reading.rjust(COUNT_WIDTH - GAP) + " " * GAP)
        return line.append_text(alarms)

    def _trend(self, traffic: str, metric: str, width: int) -> Text:
        if self.window is None:
            return Text("…".ljust(width + 1 + VALUE_WIDTH), style="dim")
        values = series(self.window, f"{self.colour.value}:{traffic}", metric)
        incomplete = self.window.incomplete
        trend = spark_text(values, incomplete, width, self.scales.top(traffic, metric))
        # Right-aligned, so the newest minute sits at the same column in every row.
        trend.pad_left(max(width - len(trend), 0))
        reading = format_value(metric, latest_complete(values, incomplete))
        return trend.append(" " + reading.rjust(VALUE_WIDTH))

    def _latest(self, traffic: str, metric: str) -> float | None:
        if self.window is None:
            return None
        values = series(self.window, f"{self.colour.value}:{traffic}", metric)
        return latest_complete(values, self.window.incomplete)
