"""A sparkline that draws missing minutes as gaps and sets the still-filling minutes apart."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

BARS = "▁▂▃▄▅▆▇█"
GAP = "·"
SPLIT = "┊"
# Full scale never drops below these, so noise on a quiet service does not look like a spike.
SCALE_FLOOR = {"error_rate": 5.0, "p99": 200.0, "invocations": 10.0, "throttles": 5.0}


def bar(value: float | None, top: float) -> str:
    if value is None:
        return GAP
    if top <= 0:
        return BARS[0]
    index = round(min(max(value, 0.0), top) / top * (len(BARS) - 1))
    return BARS[index]


def spark_text(values: Sequence[float | None], incomplete: int, width: int, top: float) -> Text:
    """The newest minutes that fit `width`: complete ones, `┊`, then the incomplete ones dimmed."""
    incomplete = min(max(incomplete, 0), len(values))
    room = max(width - (1 if incomplete else 0), 0)
    shown = list(values)[-room:] if room else []
    cut = max(len(shown) - incomplete, 0)
    text = Text("".join(bar(v, top) for v in shown[:cut]), style="")
    if incomplete and width > 0:
        text.append(SPLIT, style="dim")
        text.append("".join(bar(v, top) for v in shown[cut:]), style="dim italic")
    return text


def full_scale(metric: str, *series: Sequence[float | None]) -> float:
    """One top for every series of a metric, so both colours are drawn on the same scale."""
    found = [v for values in series for v in values if v is not None]
    return max([SCALE_FLOOR.get(metric, 1.0), *found])


def format_value(metric: str, value: float | None) -> str:
    """A short reading: `0.4%`, `120ms`, `1.2s`, `3.4k`; `—` for no data."""
    if value is None:
        return "—"
    if metric == "error_rate":
        return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"
    if metric == "p99":
        return f"{value:.0f}ms" if value < 1000 else f"{value / 1000:.1f}s"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}"
