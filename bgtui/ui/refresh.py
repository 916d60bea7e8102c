"""The blocking reads behind one console refresh: services with their state, then their health."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bgtui.core.catalog import Catalog
from bgtui.core.metrics import HealthWindow, assemble, plan_refresh, window_minutes
from bgtui.core.models import ServiceState
from bgtui.core.ports import MetricsPort
from bgtui.errors import BgtuiError

API_NAME_TAG = "bluegreen:api-name"
INCOMPLETE_MINUTES = 2


@dataclass(frozen=True)
class ServicesSnapshot:
    """Every discovered service as read now; a service that could not be read keeps its error."""

    states: tuple[ServiceState, ...]
    unreadable: Mapping[str, BgtuiError] = field(default_factory=dict)


@dataclass(frozen=True)
class HealthSnapshot:
    """The health windows of the services on screen, from one metrics call."""

    windows: Mapping[str, HealthWindow]
    queries: int
    fetched_at: datetime


def read_services(catalog: Catalog) -> ServicesSnapshot:
    refs = catalog.discover()
    states: list[ServiceState] = []
    unreadable: dict[str, BgtuiError] = {}
    for ref, found in zip(refs, catalog.read_many(refs), strict=True):
        if isinstance(found, BgtuiError):
            unreadable[ref.function] = found
        else:
            states.append(found)
    return ServicesSnapshot(tuple(states), unreadable)


def read_health(
    metrics: MetricsPort,
    states: Sequence[ServiceState],
    clock: Callable[[], datetime],
    minutes: int,
) -> HealthSnapshot:
    """ONE fetch for every series of these services (the first ones win the 500-query cap)."""
    api_names = {s.ref.function: s.ref.tags.get(API_NAME_TAG, "") for s in states}
    plan = plan_refresh(states, api_names)
    now = clock()
    grid = window_minutes(now, minutes)
    if not plan.queries:
        return HealthSnapshot({}, 0, now)
    series = metrics.fetch(plan.queries, grid[0], grid[-1] + timedelta(minutes=1))
    windows = assemble(plan, series, grid, INCOMPLETE_MINUTES)
    return HealthSnapshot(windows, len(plan.queries), now)


def selected_first(states: Sequence[ServiceState], function: str) -> list[ServiceState]:
    """The selected service leads, so the query cap never drops what the operator looks at."""
    return sorted(states, key=lambda s: s.ref.function != function)
