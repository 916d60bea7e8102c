"""Charts with axes for both colours (plotext); its figure is global: build on one thread."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from rich.text import Text

from bgtui.core.metrics import HealthWindow
from bgtui.core.models import Colour
from bgtui.ui.health_view import series
from bgtui.ui.spark import full_scale

# xterm-256 codes: blue and green, each also told apart by its marker glyph.
COLOUR_CODES = {Colour.BLUE: 12, Colour.GREEN: 10}
CHARTS = (("error_rate", "error rate %"), ("p99", "p99 duration ms"))


def _plotext() -> ModuleType:
    # plotext costs a quarter of a second to import: only when a chart is first drawn.
    return importlib.import_module("plotext")


def minute_offsets(window: HealthWindow) -> list[int]:
    """Minutes relative to the newest one (0), so the x axis reads `-29 … 0`."""
    count = len(window.minutes)
    return list(range(-(count - 1), 1))


def _draw_colour(
    plot: Any, window: HealthWindow, colour: Colour, metric: str, traffic: str
) -> bool:
    xs = minute_offsets(window)
    values = series(window, f"{colour.value}:{traffic}", metric)
    points = [(x, v) for x, v in zip(xs, values, strict=False) if v is not None]
    if not points:
        return False
    plt = _plotext()
    marker = plt.marker(colour.symbol).fill(plt.pixel(foreground=COLOUR_CODES[colour]))
    signal = plot.signal([x for x, _ in points], [y for _, y in points], marker=marker)
    signal.lines()
    # A missing minute is a gap in the line, never a zero.
    for index in range(1, len(points)):
        if points[index][0] - points[index - 1][0] > 1:
            signal.line(index, False)
    plot.draw(signal)
    return True


def build_chart(window: HealthWindow, traffic: str, width: int, height: int) -> Text:
    """Error rate and p99 of both colours for one kind of traffic, stacked."""
    fig = _plotext().figure
    fig.clear()
    fig.theme("simple")
    fig.subplots(len(CHARTS), 1)
    for row, (metric, title) in enumerate(CHARTS, start=1):
        plot = fig.subplot(row, 1)
        plot.plot_size(max(width, 30), max(height // len(CHARTS), 6))
        drawn = [_draw_colour(plot, window, c, metric, traffic) for c in Colour]
        plot.title(title if any(drawn) else f"{title}: no data in this window")
        # Rates and durations are never negative: the axis starts at 0, even when all are 0.
        both = [series(window, f"{c.value}:{traffic}", metric) for c in Colour]
        plot.ruler("y").lim(0, full_scale(metric, *both))
        # The legend is drawn by the screen, outside the canvas, where it hides no data.
        plot.legend(active=False)
        if window.incomplete and any(drawn):
            plot.line(-window.incomplete + 0.5, "vertical")
    return Text.from_ansi(fig.build().string())
