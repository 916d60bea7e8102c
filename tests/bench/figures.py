"""Measured figures: a median of several runs, its unit, and the budget it is held to."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    """`≤ 1.5 s` (limit is a ceiling) or `≥ 5x` (limit is a floor)."""

    limit: float
    at_least: bool = False

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def text(self, unit: str) -> str:
        return f"{'≥' if self.at_least else '≤'} {format_value(self.limit, unit)}"


def at_most(limit: float) -> Budget:
    return Budget(limit)


def at_least(limit: float) -> Budget:
    return Budget(limit, at_least=True)


@dataclass(frozen=True)
class Figure:
    """One line of the table: what was measured, the median, how many runs, the budget."""

    key: str
    label: str
    value: float
    unit: str
    runs: int = 1
    budget: Budget | None = None
    note: str = ""
    samples: tuple[float, ...] = field(default=(), compare=False)

    @property
    def verdict(self) -> str:
        if self.budget is None:
            return ""
        return "ok" if self.budget.met(self.value) else "MISSED"

    @property
    def shown(self) -> str:
        return format_value(self.value, self.unit)


def figure(
    key: str,
    label: str,
    samples: Sequence[float],
    unit: str,
    budget: Budget | None = None,
    note: str = "",
) -> Figure:
    """The median of `samples` as a figure; NaN when nothing was measured."""
    value = statistics.median(samples) if samples else math.nan
    return Figure(key, label, value, unit, len(samples), budget, note, tuple(samples))


def format_value(value: float, unit: str) -> str:
    if math.isnan(value):
        return "n/a"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "x":
        return f"{value:.1f}x"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "$":
        return f"${value:.2f}"
    if unit == "/min":
        return f"{value:.1f} /min"
    if unit in ("calls", "series", "services", ""):
        return f"{value:.0f} {unit}".rstrip()
    return f"{value:.1f} {unit}"


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Seconds `action` took (perf_counter) and what it returned."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result
