"""The blocking reads behind one console refresh: services with their state, then their health.

Aliases and stages cost nothing but count against account-wide rate quotas (Lambda's control
plane: 15 requests a second for every call of the account; API Gateway's management API: 10),
which deploys, Terraform and other operators share. A refresh therefore reads the selected
service, every row on screen not read yet, and a few of the others on screen, round robin;
before anything is on screen, the first services of the list.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bgtui.core.catalog import Catalog
from bgtui.core.errors import BgtuiError, CredentialsExpired
from bgtui.core.metrics import HealthWindow, assemble, plan_refresh, window_minutes
from bgtui.core.models import ServiceRef, ServiceState
from bgtui.core.ports import MetricsPort

API_NAME_TAG = "bluegreen:api-name"
INCOMPLETE_MINUTES = 2
SWEEP_BATCH = 20
"""Services read per refresh before any row is on screen (at start)."""
REREADS_PER_REFRESH = 5
"""Rows on screen re-read per refresh besides the selected one: at a 5 s refresh, about 1.2
ListAliases and 1.2 GetStages a second (8 % and 12 % of those quotas) however many rows."""


@dataclass(frozen=True)
class ServicesSnapshot:
    """Every discovered service, and those read in this refresh (or why they could not be)."""

    states: tuple[ServiceState, ...]
    unreadable: Mapping[str, BgtuiError] = field(default_factory=dict)
    refs: tuple[ServiceRef, ...] = ()
    sweep_next: int = 0
    regions_failed: Mapping[str, BgtuiError] = field(default_factory=dict)
    """Regions (of several) that could not be read: their rows are those of the last read."""


@dataclass(frozen=True)
class HealthSnapshot:
    """The health windows of the services whose metrics one refresh fetched."""

    windows: Mapping[str, HealthWindow]
    queries: int
    fetched_at: datetime
    full: frozenset[str] = frozenset()
    """The services whose every series was fetched; the others got a glance."""
    regions_read: tuple[str, ...] = ()
    """Regions (of several) whose metrics this fetch read."""
    regions_failed: Mapping[str, BgtuiError] = field(default_factory=dict)
    """Regions (of several) whose metrics could not be read: their windows are the last read."""


def choose_reads(
    refs: Sequence[ServiceRef], priority: Sequence[str], sweep_from: int, batch: int
) -> tuple[list[ServiceRef], int]:
    """The priority services, then `batch` more from `sweep_from` on; and where to go on next."""
    wanted = [r for r in refs if r.function in set(priority)]
    if not refs:
        return wanted, 0
    start = sweep_from % len(refs)
    rotated = [*refs[start:], *refs[:start]]
    rest = [r for r in rotated if r not in wanted][:batch]
    return wanted + rest, (start + batch) % len(refs)


def choose_rereads(
    refs: Sequence[ServiceRef],
    selected: str,
    on_screen: Sequence[str],
    read_before: Collection[str],
    sweep_from: int,
    batch: int = REREADS_PER_REFRESH,
) -> tuple[list[ServiceRef], int]:
    """The selected service, the rows on screen never read, then `batch` of the other rows on
    screen from `sweep_from` on; and where to go on next."""
    seen = [fn for fn in on_screen if fn != selected]
    unread = [fn for fn in seen if fn not in read_before]
    again = [fn for fn in seen if fn in read_before]
    start = sweep_from % len(again) if again else 0
    rotation = [*again[start:], *again[:start]][:batch]
    by_name = {r.function: r for r in refs}
    wanted = dict.fromkeys([selected, *unread, *rotation])
    chosen = [by_name[fn] for fn in wanted if fn in by_name]
    return chosen, (start + batch) % len(again) if again else 0


def read_services(
    catalog: Catalog,
    selected: str,
    on_screen: Sequence[str],
    read_before: Collection[str],
    sweep_from: int,
) -> ServicesSnapshot:
    refs = catalog.discover()
    if on_screen:
        chosen, sweep_next = choose_rereads(refs, selected, on_screen, read_before, sweep_from)
    else:
        chosen, sweep_next = choose_reads(refs, [selected], sweep_from, SWEEP_BATCH)
    states: list[ServiceState] = []
    unreadable: dict[str, BgtuiError] = {}
    for ref, found in zip(chosen, catalog.read_many(chosen), strict=True):
        if isinstance(found, CredentialsExpired):
            raise found  # every other read fails alike: keep the last good data, whole
        if isinstance(found, BgtuiError):
            unreadable[ref.function] = found
        else:
            states.append(found)
    return ServicesSnapshot(tuple(states), unreadable, tuple(refs), sweep_next)


def read_health(
    metrics: MetricsPort,
    states: Sequence[ServiceState],
    full: Collection[str],
    clock: Callable[[], datetime],
    minutes: int,
) -> HealthSnapshot:
    """One fetch (one call per 500 series) for these services: every series of those in `full`,
    a glance at the others."""
    api_names = {s.ref.function: s.ref.tags.get(API_NAME_TAG, "") for s in states}
    plan = plan_refresh(states, api_names, full)
    now = clock()
    grid = window_minutes(now, minutes)
    fetched_full = frozenset(s.ref.function for s in states if s.ref.function in full)
    if not plan.queries:
        return HealthSnapshot({}, 0, now, fetched_full)
    series = metrics.fetch(plan.queries, grid[0], grid[-1] + timedelta(minutes=1))
    windows = assemble(plan, series, grid, INCOMPLETE_MINUTES)
    return HealthSnapshot(windows, len(plan.queries), now, fetched_full)


def on_screen_first(
    states: Sequence[ServiceState],
    selected: str,
    on_screen: Sequence[str],
    key: Callable[[ServiceRef], str] = lambda ref: ref.function,
) -> list[ServiceState]:
    """The selected service, then the rows on screen (all read when nothing is on screen yet);
    `key` names a state's row as `selected` and `on_screen` do."""
    order = {fn: i for i, fn in enumerate([selected, *on_screen])}
    shown = [s for s in states if key(s.ref) in order] if on_screen else list(states)
    return sorted(shown, key=lambda s: order.get(key(s.ref), len(order)))
