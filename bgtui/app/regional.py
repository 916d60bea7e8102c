"""The console's services across a context's regions: one service per region, rows keyed apart."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime

from bgtui.app.backend import Backend
from bgtui.app.refresh import HealthSnapshot, ServicesSnapshot
from bgtui.app.service import ReleaseService
from bgtui.app.wiring import build_backend
from bgtui.core.errors import BgtuiError, CredentialsExpired
from bgtui.core.models import ServiceRef, ServiceState, VersionInfo
from bgtui.core.whereabouts import Whereabouts

REGION_MARK = "@"
"""Between function and region in a row key: Lambda function names never contain it."""


def key_at(function: str, region: str) -> str:
    """The row key of `function` in `region`, for a context of several regions."""
    return f"{function}{REGION_MARK}{region}"


def split_key(key: str) -> tuple[str, str]:
    """(function, region) of a row key; the region is '' for a single-region key."""
    function, _, region = key.partition(REGION_MARK)
    return function, region


def row_key(ref: ServiceRef, regional: bool) -> str:
    """One row per (region, function): the function name alone while one region is read."""
    return key_at(ref.function, ref.region) if regional else ref.function


def further_backends(first: Backend) -> list[Backend]:
    """A backend per further region of the context, with clients of its own and the same
    audit key (records of every region go to the one signed trail)."""
    settings = first.settings
    return [
        build_backend(replace(settings, region=region, regions=()), audit_key=first.audit_key)
        for region in settings.regions[1:]
    ]


class RegionalServices:
    """The first region's service, then one per further region; with one, it is that service.

    The further regions' clients are built at their first use, in a worker (building boto3
    clients takes a while), not when the console starts or switches context.
    """

    def __init__(self, first: ReleaseService, further: Sequence[Backend] | None = None) -> None:
        """`further` are the other regions' backends; None builds them from the settings."""
        self.first = first
        self._further = further
        self._built: tuple[ReleaseService, ...] | None = None
        self._lock = threading.Lock()
        self._last_refs: dict[str, tuple[ServiceRef, ...]] = {}
        """Each region's services at its last read: kept listed while it cannot be read."""

    @property
    def regions(self) -> tuple[str, ...]:
        further = self._further
        if further is None:
            return (self.first.region, *self.first.settings.regions[1:])
        return (self.first.region, *(backend.region for backend in further))

    @property
    def regional(self) -> bool:
        return len(self.regions) > 1

    @property
    def services(self) -> tuple[ReleaseService, ...]:
        with self._lock:
            if self._built is None:
                first, further = self.first, self._further
                backends = further_backends(first.backend) if further is None else further
                self._built = (first, *(ReleaseService(b) for b in backends))
            return self._built

    def key(self, ref: ServiceRef) -> str:
        return row_key(ref, self.regional)

    def service_for(self, ref: ServiceRef) -> ReleaseService:
        """The service of the region `ref` was read in: actions act there."""
        return self.in_region(ref.region)

    def in_region(self, region: str) -> ReleaseService:
        if not self.regional:
            return self.first
        found = [s for s in self.services if s.region == region]
        return found[0] if found else self.first

    def whereabouts(self) -> Whereabouts:
        """The first region's, naming every region as read."""
        where = self.first.whereabouts()
        if not self.regional:
            return where
        return replace(where, regions=self.regions, unread_regions=())

    def read_services(
        self,
        selected: str,
        on_screen: Sequence[str],
        read_before: Collection[str],
        sweep_from: int,
    ) -> ServicesSnapshot:
        """Each region read as one region is (see refresh.py), its rows keyed by region."""
        if not self.regional:
            return self.first.read_services(selected, on_screen, read_before, sweep_from)
        snapshots, failed = [], {}
        for service in self.services:
            region = service.region
            here = _functions_in(region)
            picked = here([selected])
            # Rows on screen, none of them here: a name no function has keeps this region
            # from sweeping as at start; only its selected row, if any, is read.
            shown = here(on_screen) or ((REGION_MARK,) if on_screen else ())
            try:
                snapshot = service.read_services(
                    picked[0] if picked else "", shown, here(read_before), sweep_from
                )
            except CredentialsExpired:
                raise
            except BgtuiError as error:
                # One region down is what active/active is for: the others are still shown.
                failed[region] = error
                snapshot = ServicesSnapshot((), refs=self._last_refs.get(region, ()))
            self._last_refs[region] = snapshot.refs
            snapshots.append((region, snapshot))
        if len(failed) == len(snapshots):
            raise next(iter(failed.values()))
        return ServicesSnapshot(
            tuple(s for _, snap in snapshots for s in snap.states),
            {key_at(fn, r): e for r, snap in snapshots for fn, e in snap.unreadable.items()},
            tuple(ref for _, snap in snapshots for ref in snap.refs),
            next(snap.sweep_next for r, snap in snapshots if r not in failed),
            failed,
        )

    def read_health(
        self,
        states: Sequence[ServiceState],
        full: Collection[str],
        clock: Callable[[], datetime] | None = None,
    ) -> HealthSnapshot:
        """One metrics fetch per region that has services among `states` (CloudWatch is
        regional); windows keyed by row."""
        if not self.regional:
            return self.first.read_health(states, full, clock)
        fetched, failed = [], {}
        for service in self.services:
            region = service.region
            mine = [s for s in states if s.ref.region == region]
            if not mine:
                continue
            try:
                snapshot = service.read_health(mine, _functions_in(region)(full), clock)
            except CredentialsExpired:
                raise
            except BgtuiError as error:
                # CloudWatch is regional: one region throttled leaves the others' trends fresh.
                failed[region] = error
                continue
            fetched.append((region, snapshot))
        if not fetched:
            return replace(self.first.read_health((), (), clock), regions_failed=failed)
        return HealthSnapshot(
            {key_at(fn, r): w for r, snap in fetched for fn, w in snap.windows.items()},
            sum(snap.queries for _, snap in fetched),
            min(snap.fetched_at for _, snap in fetched),
            frozenset(key_at(fn, r) for r, snap in fetched for fn in snap.full),
            tuple(r for r, _ in fetched),
            failed,
        )

    def versions(self, key: str) -> tuple[VersionInfo, ...]:
        """The published versions of the row's function, in the row's region."""
        function, region = split_key(key)
        return (self.in_region(region) if region else self.first).versions(function)

    def refresh_credentials(self) -> None:
        for service in self.services if self.regional else (self.first,):
            service.refresh_credentials()


def _functions_in(region: str) -> Callable[[Collection[str]], tuple[str, ...]]:
    """The function names of those row keys that are in `region`."""

    def pick(keys: Collection[str]) -> tuple[str, ...]:
        return tuple(fn for fn, r in map(split_key, keys) if r == region)

    return pick
