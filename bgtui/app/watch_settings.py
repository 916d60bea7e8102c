"""The `[watch]` table of the configuration: the default thresholds of the watch window."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bgtui.core.errors import BadInput
from bgtui.core.watch import WatchThresholds

WATCH_LIMITS: dict[str, tuple[type, float, float]] = {
    "minutes": (int, 0, 1440),
    "error_percent": (float, 0, 100),
    "p99_ms": (float, 0, 900_000),
    "min_requests": (int, 0, 1_000_000),
    "breaching_minutes": (int, 1, 60),
}


def watch_thresholds(table: Any, where: str) -> WatchThresholds:
    """The `[watch]` table as thresholds; every key optional, each within its range."""
    if not isinstance(table, Mapping):
        raise BadInput(f"{where}: [watch] must be a table")
    unknown = sorted(set(table) - set(WATCH_LIMITS))
    if unknown:
        raise BadInput(f"{where}: unknown key [watch] {unknown[0]!r}")
    values: dict[str, int | float] = {}
    for key, value in table.items():
        kind, low, high = WATCH_LIMITS[key]
        number_ok = isinstance(value, int | float) and not isinstance(value, bool)
        if (
            not number_ok
            or (kind is int and not isinstance(value, int))
            or not low <= value <= high
        ):
            what = "a whole number" if kind is int else "a number"
            raise BadInput(f"{where}: [watch] {key} must be {what} from {low:g} to {high:g}")
        values[key] = kind(value)
    return WatchThresholds(**values)  # type: ignore[arg-type]
