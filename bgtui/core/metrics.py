"""Both colours' health: the queries of one refresh and the per-minute view built from them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bgtui.core.models import Colour, ServiceState
from bgtui.core.ports import MetricQuery, MetricSeries

LAMBDA = "AWS/Lambda"
APIGW = "AWS/ApiGateway"
LAMBDA_METRICS = (
    ("invocations", "Invocations", "Sum"),
    ("errors", "Errors", "Sum"),
    ("throttles", "Throttles", "Sum"),
    ("p99", "Duration", "p99"),
)
GLANCE_METRICS = ("invocations", "errors", "p99")
"""What a row that is not selected needs: the live colour's production error rate and p99."""
STAGE_METRICS = (
    ("count", "Count", "Sum"),
    ("e4xx", "4XXError", "Sum"),
    ("e5xx", "5XXError", "Sum"),
    ("p99", "Latency", "p99"),
)
Points = tuple[float | None, ...]


@dataclass(frozen=True)
class SeriesKey:
    """What one query id stands for."""

    function: str
    group: str
    traffic: str
    metric: str


@dataclass(frozen=True)
class RefreshPlan:
    """The queries of one refresh and what each id means."""

    queries: tuple[MetricQuery, ...]
    keys: Mapping[str, SeriesKey]


def plan_refresh(
    states: Sequence[ServiceState],
    api_names: Mapping[str, str],
    full: Collection[str] | None = None,
) -> RefreshPlan:
    """Every series of the services in `full` (default: all), a glance at the others.

    Nothing is dropped: a plan of more than 500 queries is fetched in several calls.
    """
    queries: list[MetricQuery] = []
    keys: dict[str, SeriesKey] = {}
    for index, state in enumerate(states):
        fn = state.ref.function
        if full is None or fn in full:
            batch = _service_queries(index, state, api_names.get(fn, ""))
        else:
            batch = _glance_queries(index, state)
        for query, key in batch:
            queries.append(query)
            keys[query.id] = key
    return RefreshPlan(tuple(queries), keys)


def _glance_queries(index: int, state: ServiceState) -> list[tuple[MetricQuery, SeriesKey]]:
    """Production traffic of the live colour (of both colours while none is live)."""
    live = state.live_colour
    colours = [live] if live is not None else list(Colour)
    found = []
    for colour in colours:
        for query, key in _lambda_queries(index, state, colour):
            if key.traffic == "prod" and key.metric in GLANCE_METRICS:
                found.append((query, key))
    return found


def _service_queries(
    index: int, state: ServiceState, api_name: str
) -> list[tuple[MetricQuery, SeriesKey]]:
    fn = state.ref.function
    found = [pair for colour in Colour for pair in _lambda_queries(index, state, colour)]
    if api_name:
        for stage in (state.ref.prod_stage, state.ref.test_stage):
            dims = (("ApiName", api_name), ("Stage", stage))
            for short, metric, stat in STAGE_METRICS:
                qid = f"s{index}_stage_{_safe(stage)}_{short}"
                query = MetricQuery(qid, APIGW, metric, dims, stat)
                found.append((query, SeriesKey(fn, f"stage:{stage}", "api", short)))
    return found


def _lambda_queries(
    index: int, state: ServiceState, colour: Colour
) -> list[tuple[MetricQuery, SeriesKey]]:
    fn = state.ref.function
    alias = state.colour_alias(colour)
    # Lambda names the alias invoked in Resource: the service's own alias names, not the roles'.
    dims_by_traffic: dict[str, tuple[tuple[str, str], ...]] = {
        "test": (("FunctionName", fn), ("Resource", f"{fn}:{state.ref.alias_name(colour)}"))
    }
    if alias is not None:
        dims_by_traffic["prod"] = (
            ("FunctionName", fn),
            ("Resource", f"{fn}:{state.ref.live_alias}"),
            ("ExecutedVersion", alias.version),
        )
    found = []
    for traffic, dims in dims_by_traffic.items():
        for short, metric, stat in LAMBDA_METRICS:
            qid = f"s{index}_{colour.value}_{traffic}_{short}"
            query = MetricQuery(qid, LAMBDA, metric, dims, stat)
            found.append((query, SeriesKey(fn, colour.value, traffic, short)))
    return found


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


@dataclass(frozen=True)
class MinuteSeries:
    """Per-minute values aligned to a window; None is a gap, never zero."""

    values: Points

    def latest(self, complete_only: int = 0) -> float | None:
        usable = self.values[: len(self.values) - complete_only] if complete_only else self.values
        for value in reversed(usable):
            if value is not None:
                return value
        return None


@dataclass(frozen=True)
class GroupHealth:
    """One colour's (or one stage's) series over the window."""

    series: Mapping[str, MinuteSeries] = field(default_factory=dict)

    def get(self, metric: str) -> MinuteSeries:
        return self.series.get(metric, MinuteSeries(()))

    def error_rate(self, errors: str = "errors", total: str = "invocations") -> MinuteSeries:
        """Errors / invocations per minute in percent; a minute with no traffic is a gap."""
        errs, calls = self.get(errors).values, self.get(total).values
        rate: list[float | None] = []
        for err, call in zip(errs, calls, strict=False):
            rate.append(None if not call else 100.0 * (err or 0.0) / call)
        return MinuteSeries(tuple(rate))


@dataclass(frozen=True)
class HealthWindow:
    """All series of one service over one window of minutes."""

    minutes: tuple[datetime, ...]
    incomplete: int
    groups: Mapping[str, GroupHealth]

    def group(self, name: str) -> GroupHealth:
        return self.groups.get(name, GroupHealth())


def window_minutes(end: datetime, minutes: int) -> tuple[datetime, ...]:
    last = end.replace(second=0, microsecond=0)
    return tuple(last - timedelta(minutes=minutes - 1 - i) for i in range(minutes))


def assemble(
    plan: RefreshPlan,
    series: Mapping[str, MetricSeries],
    minutes: tuple[datetime, ...],
    incomplete: int = 2,
) -> dict[str, HealthWindow]:
    """Place every fetched datapoint on the minute grid, per service, group and traffic."""
    slots = {m: i for i, m in enumerate(minutes)}
    raw: dict[str, dict[str, dict[str, list[float | None]]]] = {}
    for qid, key in plan.keys.items():
        points: list[float | None] = [None] * len(minutes)
        found = series.get(qid)
        if found is not None:
            for at, value in zip(found.timestamps, found.values, strict=False):
                slot = slots.get(at.replace(second=0, microsecond=0))
                if slot is not None:
                    points[slot] = value
        group = key.group if key.traffic == "api" else f"{key.group}:{key.traffic}"
        raw.setdefault(key.function, {}).setdefault(group, {})[key.metric] = points
    return {
        fn: HealthWindow(
            minutes,
            incomplete,
            {
                g: GroupHealth({m: MinuteSeries(tuple(v)) for m, v in ms.items()})
                for g, ms in gs.items()
            },
        )
        for fn, gs in raw.items()
    }
