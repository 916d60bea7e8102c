"""When the console reads metrics: once a minute as new data lands, on demand, and what it costs.

Lambda publishes its metrics at one-minute resolution, one to three minutes late, and
CloudWatch bills GetMetricData per metric requested, so reading them every few seconds
buys nothing and costs money. The selected service gets every series once a minute, a few
seconds after a minute's datapoints can have landed; the other rows on screen get a glance
(the live colour's production traffic) every five minutes. The free state reads of aliases
and stages keep their own, faster pace.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

USD_PER_METRIC_REQUESTED = 0.01 / 1000
"""GetMetricData: $0.01 per 1,000 metrics requested (CloudWatch pricing, "Paid tier" →
"Metrics" → API requests, https://aws.amazon.com/cloudwatch/pricing/; us-east-1 list price,
the same in most Regions). Unlike the other CloudWatch APIs it has no free tier."""

FULL_EVERY = timedelta(minutes=1)
"""The selected service: as often as Lambda's one-minute datapoints appear."""
GLANCE_EVERY = timedelta(minutes=5)
"""The other rows on screen: their error rate and p99 at a glance."""
LANDING_DELAY = timedelta(seconds=20)
"""Read this long after a minute ends: its datapoints are aggregated only once it is over."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def usd_for(metrics_requested: int) -> float:
    """What GetMetricData charges for this many metrics requested."""
    return metrics_requested * USD_PER_METRIC_REQUESTED


def slot_start(now: datetime, every: timedelta, delay: timedelta = LANDING_DELAY) -> datetime:
    """The latest moment at or before `now` that is `delay` past a multiple of `every`."""
    since = (now - delay - _EPOCH) // every
    return _EPOCH + since * every + delay


@dataclass(frozen=True)
class MetricsDue:
    """Which services one refresh fetches metrics for, and how much of each.

    `everything` (nothing is on screen yet, at start): every service read gets every series.
    """

    full: tuple[str, ...] = ()
    glance: tuple[str, ...] = ()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.full or self.glance)

    def pick(self, shown: Sequence[str]) -> tuple[list[str], Collection[str]]:
        """Of the services shown (in that order), those to fetch and those to fetch in full."""
        if self.everything:
            return list(shown), set(shown)
        wanted = set(self.full) | set(self.glance)
        return [fn for fn in shown if fn in wanted], set(self.full)


@dataclass
class MetricsSchedule:
    """Remembers when each service's metrics were last asked for; decides what is due."""

    full_every: timedelta = FULL_EVERY
    glance_every: timedelta = GLANCE_EVERY
    delay: timedelta = LANDING_DELAY
    full_at: dict[str, datetime] = field(default_factory=dict)
    """When each service's every series was last asked for."""
    any_at: dict[str, datetime] = field(default_factory=dict)
    """When each service's metrics (full or glance) were last asked for."""
    everything_at: datetime | None = None
    """When every series of every service was last asked for (at start, nothing on screen)."""

    def due(
        self,
        now: datetime,
        selected: str,
        on_screen: Sequence[str],
        now_wanted: bool = False,
        watched: Collection[str] = (),
    ) -> MetricsDue:
        """What to fetch now; `now_wanted` (a key, a change) fetches the selected one regardless.

        Rows under a watch window get their glance every minute, like the selected service:
        the watch judges each minute as it lands, in the same call.
        """
        if not on_screen:
            return MetricsDue(everything=True)
        full = (selected,) if selected and (now_wanted or self.wants_full(selected, now)) else ()
        since = slot_start(now, self.glance_every, self.delay)
        minute = slot_start(now, self.full_every, self.delay)
        glance = tuple(
            fn
            for fn in on_screen
            if fn != selected
            and fn not in full
            and self.any_at.get(fn, _EPOCH) < (minute if fn in watched else since)
        )
        return MetricsDue(full, glance)

    def wants_full(self, function: str, now: datetime) -> bool:
        """Whether `function`'s every series is older than the latest minute landed."""
        since = slot_start(now, self.full_every, self.delay)
        asked = self.full_at.get(function)
        if asked is None and function not in self.any_at:
            asked = self.everything_at  # asked with every service, not glanced at since
        return (asked or _EPOCH) < since

    def asked(self, due: MetricsDue, at: datetime) -> None:
        """Record a fetch as made (it is not retried before its next slot even if it failed)."""
        if due.everything:
            self.everything_at = at
        for function in due.full:
            self.full_at[function] = at
            self.any_at[function] = at
        for function in due.glance:
            # The glance replaces the full window kept for this service: fetch it all again.
            self.full_at.pop(function, None)
            self.any_at[function] = at

    def forget(self) -> None:
        """Everything is due again (new credentials: what was read may belong to another caller)."""
        self.full_at.clear()
        self.any_at.clear()
        self.everything_at = None
