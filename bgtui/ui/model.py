"""What the console currently knows: the last good reads, the selection, and what is stale."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bgtui.core.metrics import HealthWindow
from bgtui.core.models import ServiceState, VersionInfo
from bgtui.errors import BgtuiError
from bgtui.ui.refresh import HealthSnapshot, ServicesSnapshot


@dataclass
class StaleSource:
    """One kind of read that is failing, since when, and the latest reason."""

    since: datetime
    reason: str


@dataclass
class ConsoleModel:
    """Kept on the UI thread; workers never touch it, they post messages."""

    services: ServicesSnapshot | None = None
    health: HealthSnapshot | None = None
    selected: str = ""
    versions: dict[str, tuple[VersionInfo, ...]] = field(default_factory=dict)
    stale: dict[str, StaleSource] = field(default_factory=dict)

    def state(self, function: str | None = None) -> ServiceState | None:
        wanted = self.selected if function is None else function
        states = self.services.states if self.services else ()
        return next((s for s in states if s.ref.function == wanted), None)

    def window(self, function: str | None = None) -> HealthWindow | None:
        wanted = self.selected if function is None else function
        return self.health.windows.get(wanted) if self.health else None

    def error(self, function: str | None = None) -> BgtuiError | None:
        wanted = self.selected if function is None else function
        return self.services.unreadable.get(wanted) if self.services else None

    def mark_stale(self, what: str, reason: str, at: datetime) -> bool:
        """Record a failed read; True when this is the first failure since the last success."""
        first = not self.stale
        since = self.stale[what].since if what in self.stale else at
        self.stale[what] = StaleSource(since, reason)
        return first

    def stale_text(self) -> str:
        """`metrics since 03:01:02Z: AWS error: …` for the badge; '' when everything is fresh."""
        return "; ".join(
            f"{what} since {source.since:%H:%M:%S}Z: {source.reason}"
            for what, source in sorted(self.stale.items())
        )
