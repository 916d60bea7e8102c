"""The watch window after a promote: thresholds, each minute's verdict and the breach decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bgtui.core.metrics import HealthWindow
from bgtui.core.models import LIVE_ALIAS, AlarmState, ServiceState

TAG_PREFIX = "bluegreen:watch-"
"""Per-service thresholds: `bluegreen:watch-minutes`, `bluegreen:watch-error-percent`, …"""


@dataclass(frozen=True)
class WatchThresholds:
    """When a release under watch is rolled back; the guard in AWS reads the same values."""

    minutes: int = 10
    """Length of the window after the swap; 0 opens none."""
    error_percent: float = 2.0
    """A minute breaches when more than this share of its requests failed."""
    p99_ms: float = 0.0
    """A minute breaches when its p99 duration is above this; 0 turns the rule off."""
    min_requests: int = 10
    """A minute with fewer requests than this is too thin to judge."""
    breaching_minutes: int = 3
    """Roll back when this many of the last this many complete minutes breach."""

    @property
    def enabled(self) -> bool:
        return self.minutes > 0

    def describe(self) -> str:
        rules = [f"5xx > {self.error_percent:g}%"]
        if self.p99_ms > 0:
            rules.append(f"p99 > {self.p99_ms:g} ms")
        return (
            f"{' or '.join(rules)} in {self.breaching_minutes} of {self.breaching_minutes} "
            f"minutes (at least {self.min_requests} requests a minute), or a live alarm"
        )

    def problems(self) -> tuple[str, ...]:
        found = []
        for name in ("minutes", "error_percent", "p99_ms", "min_requests"):
            if getattr(self, name) < 0:
                found.append(f"watch {name} must not be negative")
        if self.breaching_minutes < 1:
            found.append("watch breaching_minutes must be at least 1")
        return tuple(found)


def thresholds_from_tags(
    base: WatchThresholds, tags: Mapping[str, str]
) -> tuple[WatchThresholds, tuple[str, ...]]:
    """`base` with a service's `bluegreen:watch-*` tags applied, and the tags that did not parse."""
    changes: dict[str, int | float] = {}
    bad: list[str] = []
    for item in fields(WatchThresholds):
        text = tags.get(TAG_PREFIX + item.name.replace("_", "-"))
        if text is None:
            continue
        try:
            number = float(text) if item.type == "float" else int(text)
        except ValueError:
            bad.append(f"{TAG_PREFIX}{item.name.replace('_', '-')}={text!r} is not a number")
            continue
        changes[item.name] = number
    found = replace(base, **changes)  # type: ignore[arg-type]
    problems = found.problems()
    if problems:
        return base, tuple(bad) + problems
    return found, tuple(bad)


class Verdict(StrEnum):
    """What one minute of the new live version's production traffic says."""

    HEALTHY = "healthy"
    BREACHING = "breaching"
    THIN = "too few requests"
    WAITING = "waiting for data"
    NO_DATA = "no data"


@dataclass(frozen=True)
class WatchMinute:
    """One minute of the window with its measured values; None is a gap, never zero."""

    minute: datetime
    requests: float | None
    error_percent: float | None
    p99_ms: float | None
    verdict: Verdict
    why: str = ""

    def line(self) -> str:
        """One line for a terminal: minute, requests, error %, p99, verdict."""
        requests = "-" if self.requests is None else f"{self.requests:.0f}"
        errors = "-" if self.error_percent is None else f"{self.error_percent:.1f}%"
        p99 = "-" if self.p99_ms is None else f"{self.p99_ms:.0f} ms"
        why = f" ({self.why})" if self.why else ""
        return (
            f"{self.minute:%H:%M}  requests {requests:>5}  5xx {errors:>6}  "
            f"p99 {p99:>8}  {self.verdict.value}{why}"
        )


class Status(StrEnum):
    """Where a watch stands."""

    WATCHING = "watching"
    BREACH = "breach"
    PASSED = "passed"
    UNPROVEN = "unproven"
    """The window ended without enough complete, judged minutes to call the release healthy."""


@dataclass(frozen=True)
class WatchReport:
    """The whole window as seen now, and what to do about it."""

    status: Status
    minutes: tuple[WatchMinute, ...]
    until: datetime
    rule: str = ""
    measured: str = ""

    def remaining(self, now: datetime) -> timedelta:
        return max(self.until - now, timedelta(0))

    @property
    def summary(self) -> str:
        if self.status is Status.BREACH:
            return f"breach: {self.measured}"
        if self.status is Status.PASSED:
            healthy = sum(m.verdict is Verdict.HEALTHY for m in self.minutes)
            return f"passed: {healthy} healthy minutes, no breach"
        if self.status is Status.UNPROVEN:
            return "window over without enough data: not declared healthy"
        return "watching"


@dataclass(frozen=True)
class WatchWindow:
    """One service's open window: when it started and ends, and its thresholds."""

    started: datetime
    until: datetime
    thresholds: WatchThresholds

    @classmethod
    def of(cls, state: ServiceState, thresholds: WatchThresholds) -> WatchWindow | None:
        """The window the live record holds, if any; None when none is recorded."""
        record = state.record
        if record is None or not record.watch_until:
            return None
        until = parse_utc(record.watch_until)
        if until is None:
            return None
        started = parse_utc(record.changed_at) or until - timedelta(minutes=thresholds.minutes)
        return cls(started, until, thresholds)

    def open_at(self, now: datetime) -> bool:
        return now < self.until


def parse_utc(text: str) -> datetime | None:
    try:
        found = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return found.replace(tzinfo=UTC)


def evaluate(
    window: WatchWindow, state: ServiceState, health: HealthWindow | None, now: datetime
) -> WatchReport:
    """Judge every minute of the window so far and decide: watching, breach, passed, unproven."""
    limits = window.thresholds
    minutes = _minutes(window, state, health)
    alarm = _alarm_breach(state, window.started)
    if alarm:
        return WatchReport(Status.BREACH, minutes, window.until, "live alarm", alarm)
    complete = [m for m in minutes if m.verdict is not Verdict.WAITING]
    recent = complete[-limits.breaching_minutes :]
    if len(recent) == limits.breaching_minutes and all(
        m.verdict is Verdict.BREACHING for m in recent
    ):
        rule, measured = _breach_words(recent, limits)
        return WatchReport(Status.BREACH, minutes, window.until, rule, measured)
    if now < window.until or any(m.verdict is Verdict.WAITING for m in minutes):
        return WatchReport(Status.WATCHING, minutes, window.until)
    healthy = sum(m.verdict is Verdict.HEALTHY for m in minutes)
    status = Status.PASSED if healthy >= limits.breaching_minutes else Status.UNPROVEN
    return WatchReport(status, minutes, window.until)


def _minutes(
    window: WatchWindow, state: ServiceState, health: HealthWindow | None
) -> tuple[WatchMinute, ...]:
    """The window's minutes that the health window covers, oldest first."""
    first = window.started.replace(second=0, microsecond=0)
    colour = state.live_colour
    if health is None or colour is None:
        return ()
    group = health.group(f"{colour.value}:prod")
    calls, errors = group.get("invocations").values, group.get("errors").values
    p99s, rates = group.get("p99").values, group.error_rate().values
    complete = len(health.minutes) - health.incomplete
    found = []
    for i, minute in enumerate(health.minutes):
        if minute < first or minute >= window.until:
            continue
        values = (_at(calls, i), _at(rates, i), _at(p99s, i))
        if i >= complete:
            found.append(WatchMinute(minute, *values, Verdict.WAITING))
        else:
            found.append(_judge(minute, values, _at(errors, i), window.thresholds))
    return tuple(found)


def _at(values: Sequence[float | None], index: int) -> float | None:
    return values[index] if index < len(values) else None


def _judge(
    minute: datetime,
    values: tuple[float | None, float | None, float | None],
    errors: float | None,
    limits: WatchThresholds,
) -> WatchMinute:
    requests, rate, p99 = values
    if requests is None:
        return WatchMinute(minute, *values, Verdict.NO_DATA, "a gap is not a zero")
    if requests < limits.min_requests:
        return WatchMinute(minute, *values, Verdict.THIN, f"fewer than {limits.min_requests}")
    if rate is None or errors is None:
        return WatchMinute(minute, *values, Verdict.NO_DATA, "errors not reported")
    reasons = []
    if rate > limits.error_percent:
        reasons.append(f"5xx {rate:.1f}% > {limits.error_percent:g}%")
    if limits.p99_ms > 0:
        if p99 is None:
            return WatchMinute(minute, *values, Verdict.NO_DATA, "p99 not reported")
        if p99 > limits.p99_ms:
            reasons.append(f"p99 {p99:.0f} ms > {limits.p99_ms:g} ms")
    if reasons:
        return WatchMinute(minute, *values, Verdict.BREACHING, "; ".join(reasons))
    return WatchMinute(minute, *values, Verdict.HEALTHY)


def _breach_words(recent: Sequence[WatchMinute], limits: WatchThresholds) -> tuple[str, str]:
    """The rule that fired and the measured values, in words an operator can act on."""
    count = f"in {len(recent)} of {limits.breaching_minutes} minutes"
    requests = sum(m.requests or 0.0 for m in recent)
    failed = sum((m.error_percent or 0.0) * (m.requests or 0.0) / 100.0 for m in recent)
    rate = 100.0 * failed / requests if requests else 0.0
    if rate > limits.error_percent:
        rule = f"5xx > {limits.error_percent:g}% {count}"
        return rule, f"5xx {rate:.1f}% > {limits.error_percent:g}% {count}"
    worst = min(m.p99_ms or 0.0 for m in recent)
    rule = f"p99 > {limits.p99_ms:g} ms {count}"
    return rule, f"p99 at least {worst:.0f} ms > {limits.p99_ms:g} ms {count}"


def _alarm_breach(state: ServiceState, started: datetime) -> str:
    """A live alarm that went into ALARM since the swap; one older is about the version before."""
    firing = [a for a in state.alarms_for(LIVE_ALIAS) if a.firing and _since(a, started)]
    return "; ".join(f"alarm {a.name} in ALARM since {a.since:%H:%M}" for a in firing)


def _since(alarm: AlarmState, started: datetime) -> bool:
    return alarm.since is not None and alarm.since >= started
