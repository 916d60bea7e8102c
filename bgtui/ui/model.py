"""What the console currently knows: the last good reads, the selection, and what is stale."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bgtui.app.refresh import HealthSnapshot, ServicesSnapshot
from bgtui.app.regional import row_key, split_key
from bgtui.core.errors import BgtuiError
from bgtui.core.metrics import HealthWindow
from bgtui.core.models import ServiceRef, ServiceState, VersionInfo

SERVICES_IN = "services in "
"""What a failed read of one region (of several) is marked stale as, before its name."""
METRICS_IN = "metrics in "
"""What a failed metrics read of one region (of several) is marked stale as, before its name."""


@dataclass
class StaleSource:
    """One kind of read that is failing, since when, and the latest reason."""

    since: datetime
    reason: str


@dataclass
class ConsoleModel:
    """Kept on the UI thread; workers never touch it, they post messages.

    Its tables are keyed by row: the function name, or function and region where the context
    reads several regions (`regional`), so one function in two regions never collides.
    """

    refs: tuple[ServiceRef, ...] = ()
    known: dict[str, ServiceState] = field(default_factory=dict)
    unreadable: dict[str, BgtuiError] = field(default_factory=dict)
    health: HealthSnapshot | None = None
    """The latest metrics fetch."""
    windows: dict[str, HealthWindow] = field(default_factory=dict)
    """Each service's latest health window, whichever fetch brought it."""
    sweep_next: int = 0
    selected: str = ""
    versions: dict[str, tuple[VersionInfo, ...]] = field(default_factory=dict)
    stale: dict[str, StaleSource] = field(default_factory=dict)
    expired_since: datetime | None = None
    """When AWS first rejected the credentials as expired; None while they work."""
    regional: bool = False

    def key_of(self, ref: ServiceRef) -> str:
        return row_key(ref, self.regional)

    def merge(self, snapshot: ServicesSnapshot) -> None:
        """Take what this refresh read; forget services that are no longer discovered."""
        self.refs, self.sweep_next = snapshot.refs, snapshot.sweep_next
        failed = {f"{SERVICES_IN}{region}" for region in snapshot.regions_failed}
        for what in [w for w in self.stale if w.startswith(SERVICES_IN) and w not in failed]:
            del self.stale[what]
        present = {self.key_of(r) for r in snapshot.refs}
        for table in (self.known, self.unreadable, self.windows):
            for function in [f for f in table if f not in present]:
                del table[function]
        for state in snapshot.states:
            self.known[self.key_of(state.ref)] = state
            self.unreadable.pop(self.key_of(state.ref), None)
        for function, error in snapshot.unreadable.items():
            self.unreadable[function] = error
            self.known.pop(function, None)

    @property
    def states(self) -> tuple[ServiceState, ...]:
        return tuple(self.known.values())

    @property
    def pending(self) -> tuple[ServiceRef, ...]:
        """Discovered services not read yet."""
        return tuple(
            r
            for r in self.refs
            if self.key_of(r) not in self.known and self.key_of(r) not in self.unreadable
        )

    def state(self, function: str | None = None) -> ServiceState | None:
        return self.known.get(self.selected if function is None else function)

    def forget_versions(self, function: str) -> None:
        """Read `function`'s versions again, in every region (a change published one)."""
        for key in [k for k in self.versions if split_key(k)[0] == function]:
            del self.versions[key]

    def take_health(self, snapshot: HealthSnapshot) -> None:
        """Keep the windows this fetch brought; other services keep theirs."""
        self.health = snapshot
        self.windows.update(snapshot.windows)
        for region in snapshot.regions_read:
            self.stale.pop(f"{METRICS_IN}{region}", None)

    def window(self, function: str | None = None) -> HealthWindow | None:
        return self.windows.get(self.selected if function is None else function)

    def error(self, function: str | None = None) -> BgtuiError | None:
        return self.unreadable.get(self.selected if function is None else function)

    def mark_stale(self, what: str, reason: str, at: datetime) -> bool:
        """Record a failed read; True when this is the first failure since the last success."""
        first = not self.stale
        since = self.stale[what].since if what in self.stale else at
        self.stale[what] = StaleSource(since, reason)
        return first

    def metrics_stale(self, function: str | None = None) -> StaleSource | None:
        """Why the row's trends are not current: its region's metrics read failed."""
        region = split_key(self.selected if function is None else function)[1]
        return self.stale.get(f"{METRICS_IN}{region}") if region else None

    @property
    def failed_regions(self) -> frozenset[str]:
        """Regions (of several) whose last read of services or metrics failed."""
        marks = (SERVICES_IN, METRICS_IN)
        return frozenset(
            what.removeprefix(m) for what in self.stale for m in marks if what.startswith(m)
        )

    def stale_text(self) -> str:
        """`metrics since 03:01:02Z: AWS error: …` for the badge; '' when everything is fresh."""
        return "; ".join(
            f"{what} since {source.since:%H:%M:%S}Z: {source.reason}"
            for what, source in sorted(self.stale.items())
        )
