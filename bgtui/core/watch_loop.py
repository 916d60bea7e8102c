"""One service's open watch, minute by minute: read, judge, and roll back on a breach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bgtui.core.auto_rollback import auto_rollback
from bgtui.core.change import Action, OperationResult, Outcome
from bgtui.core.errors import AwsError, Conflict
from bgtui.core.metrics import HealthWindow, assemble, plan_refresh, window_minutes
from bgtui.core.models import ServiceRef, ServiceState
from bgtui.core.operations import BlueGreen
from bgtui.core.ports import MetricsPort
from bgtui.core.watch import (
    Status,
    Verdict,
    WatchMinute,
    WatchReport,
    WatchThresholds,
    WatchWindow,
    evaluate,
    thresholds_from_tags,
)

INCOMPLETE_MINUTES = 2
"""Lambda's datapoints land one to three minutes late: the newest two are still filling."""


def service_thresholds(base: WatchThresholds, ref: ServiceRef) -> WatchThresholds:
    """The configured thresholds with the service's `bluegreen:watch-*` tags applied."""
    return thresholds_from_tags(base, ref.tags)[0]


def read_watch_health(
    metrics: MetricsPort, state: ServiceState, window: WatchWindow, now: datetime
) -> HealthWindow | None:
    """The live colour's production series since the swap: three metrics, one call."""
    plan = plan_refresh([state], {}, full=())
    if not plan.queries:
        return None
    first = window.started.replace(second=0, microsecond=0)
    count = int((now - first) // timedelta(minutes=1)) + 1
    grid = window_minutes(now, max(1, min(count, 24 * 60)))
    series = metrics.fetch(plan.queries, grid[0], grid[-1] + timedelta(minutes=1))
    return assemble(plan, series, grid, INCOMPLETE_MINUTES).get(state.ref.function)


@dataclass(frozen=True)
class WatchTick:
    """What one look at a watched service found, and what it did."""

    state: ServiceState
    report: WatchReport | None
    """None when the live record holds no watch window (none opened, or a rollback closed it)."""
    rollback: OperationResult | None = None
    rolled_back_elsewhere: bool = False
    """The breach was seen but another watcher (the guard, an operator) rolled back first."""
    pass_claim: PassClaim | None = None
    """Who records the pass, on the tick that found the window passed; None on any other."""


@dataclass
class ServiceWatch:
    """Watches one service's window; `tick` once a minute, after the minute's data landed."""

    operations: BlueGreen
    metrics: MetricsPort
    ref: ServiceRef
    thresholds: WatchThresholds
    by: str
    clock: Callable[[], datetime]
    shown: set[datetime] = field(default_factory=set)
    passed_recorded: bool = False

    def tick(self) -> WatchTick:
        state = self.operations.catalog.read(self.ref)
        window = WatchWindow.of(state, self.thresholds)
        if window is None:
            return WatchTick(state, None)
        now = self.clock()
        health = read_watch_health(self.metrics, state, window, now)
        report = evaluate(window, state, health, now)
        if report.status is Status.PASSED:
            return WatchTick(state, report, pass_claim=self._record_pass(state, report))
        if report.status is not Status.BREACH:
            return WatchTick(state, report)
        try:
            result = auto_rollback(self.operations, state, report, self.by)
        except Conflict:
            # CAS: someone else changed live since our read; exactly one rollback happened.
            return WatchTick(state, report, rolled_back_elsewhere=True)
        return WatchTick(state, report, result)

    def _record_pass(self, state: ServiceState, report: WatchReport) -> PassClaim | None:
        """A window that passed is recorded once, by the watcher that claims it: the release
        is done. None when this watcher already dealt with it."""
        if self.passed_recorded:
            return None
        self.passed_recorded = True
        return record_pass(self.operations, state, report, self.by)

    def new_minutes(self, report: WatchReport) -> list[WatchMinute]:
        """The minutes judged since the last call (each minute is printed once, when final)."""
        fresh = [
            m
            for m in report.minutes
            if m.verdict is not Verdict.WAITING and m.minute not in self.shown
        ]
        self.shown.update(m.minute for m in fresh)
        return fresh


class PassClaim(StrEnum):
    """Who records a window that passed."""

    CLAIMED = "claimed"
    """This watcher marked the live record: it records and announces the pass."""
    TAKEN = "taken"
    """Another watcher marked it first, or live changed since: nothing to record here."""
    UNMARKED = "unmarked"
    """The mark could not be written (a read-only watcher, AWS unreachable): this watcher
    records the pass without it, as every watcher did before there was one."""


def passed_text(report: WatchReport, claim: PassClaim | None) -> str:
    """What a watcher says of a window that ended: its summary, and that another watcher
    recorded the pass when one did."""
    elsewhere = " (recorded by another watcher)" if claim is PassClaim.TAKEN else ""
    return report.summary + elsewhere


def claim_pass(operations: BlueGreen, state: ServiceState) -> PassClaim:
    """Mark the window on the live record as passed: one UpdateAlias of `live` to the version it
    runs, carrying the revision `state` read. Of several hosts watching one window, the first
    write wins and every other finds the revision moved (Conflict) or the mark already there."""
    record, live = state.record, state.live
    if record is None or live is None or record.passed_at:
        return PassClaim.TAKEN
    marked = replace(record, passed_at=operations.recorder.now_text()).to_description()
    try:
        operations.functions.update_alias(
            state.ref.function, live.name, live.version, live.revision_id, marked
        )
    except Conflict:
        return PassClaim.TAKEN
    except AwsError:
        # Denied (a read-only watcher), unreachable or throttled: the pass is still recorded
        # here. A second record is better than none; a write that did land still marks it.
        return PassClaim.UNMARKED
    return PassClaim.CLAIMED


def record_pass(
    operations: BlueGreen, state: ServiceState, report: WatchReport, by: str
) -> PassClaim:
    """The `watch` record of a window that ended healthy (it announces `watch-passed`), made
    only by the watcher that claims the pass (or by one that may not mark it)."""
    claim = claim_pass(operations, state)
    if claim is PassClaim.TAKEN:
        return claim
    extra = {"measured": report.summary, "by": by}
    operations.recorder.record(
        state, Action.WATCH, "outcome", "", outcome=Outcome.OK.value, extra=extra
    )
    return claim
