"""One minute of a service's synthetic traffic, as the datapoints Lambda and API Gateway emit."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from statistics import NormalDist
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.literals import StandardUnitType
    from mypy_boto3_cloudwatch.type_defs import MetricDatumTypeDef

from bgtui.core.models import LIVE_ALIAS, Colour
from bgtui.emulator.behaviour import Behaviour

LAMBDA = "AWS/Lambda"
APIGW = "AWS/ApiGateway"
PRODUCTION_RATE = (40, 120)
TEST_RATE = (24, 32)
HEALTHY_ERROR_RATE = (0.0, 0.01)
BROKEN_ERROR_RATE = (0.28, 0.40)
GATEWAY_OVERHEAD_MS = (8.0, 20.0)
# Spread of the log-normal duration shape; the scale is set so p99 hits the version's target.
_SIGMA = 0.35
_EXACT_TAIL = 0.9
_BODY_BUCKETS = 10
Dimensions = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Datum:
    """One PutMetricData member."""

    namespace: str
    metric: str
    dimensions: Dimensions
    timestamp: datetime
    values: tuple[float, ...]
    counts: tuple[float, ...]
    unit: StandardUnitType = "Count"

    def to_api(self) -> MetricDatumTypeDef:
        member: MetricDatumTypeDef = {
            "MetricName": self.metric,
            "Dimensions": [{"Name": n, "Value": v} for n, v in self.dimensions],
            "Timestamp": self.timestamp,
            "Unit": self.unit,
        }
        if len(self.values) == 1 and self.counts == (1.0,):
            member["Value"] = self.values[0]
        else:
            member["Values"], member["Counts"] = list(self.values), list(self.counts)
        return member


@dataclass(frozen=True)
class Calls:
    """One minute of invocations of one alias or version."""

    invocations: int
    errors: int
    durations: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ServiceSnapshot:
    """What the generator read about one service this round."""

    function: str
    api_name: str = ""
    prod_stage: str = "prod"
    test_stage: str = "test"
    colours: Mapping[Colour, str] = field(default_factory=dict)
    live_version: str | None = None
    test_stage_alias: str | None = None
    behaviours: Mapping[str, Behaviour] = field(default_factory=dict)

    def behaviour(self, version: str) -> Behaviour:
        return self.behaviours.get(version, Behaviour())


def production_rate(function: str) -> int:
    """A stable per-service base rate, so each service has its own traffic level."""
    low, high = PRODUCTION_RATE
    return low + zlib.crc32(function.encode()) % (high - low + 1)


def durations(rng: random.Random, calls: int, p99_ms: float) -> tuple[tuple[float, float], ...]:
    """(milliseconds, count) pairs of `calls` invocations whose p99 is about `p99_ms`.

    The slowest tenth is kept exact (so p95/p99 are exact); the rest is merged into a few
    buckets to keep PutMetricData small.
    """
    if calls <= 0:
        return ()
    shape = [math.exp(_SIGMA * NormalDist().inv_cdf((i + 0.5) / calls)) for i in range(calls)]
    scale = p99_ms * rng.uniform(0.95, 1.05) / shape[math.ceil(0.99 * calls) - 1]
    ordered = [round(v * scale, 1) for v in shape]
    cut = int(calls * _EXACT_TAIL)
    body, tail = ordered[:cut], ordered[cut:]
    size = max(1, math.ceil(len(body) / _BODY_BUCKETS))
    merged = [body[i : i + size] for i in range(0, len(body), size)]
    pairs = [(round(sum(g) / len(g), 1), float(len(g))) for g in merged]
    return tuple(pairs + [(v, 1.0) for v in tail])


def calls_for(rng: random.Random, count: int, behaviour: Behaviour, identity: str) -> Calls:
    low, high = HEALTHY_ERROR_RATE if behaviour.healthy else BROKEN_ERROR_RATE
    errors = min(count, round(count * rng.uniform(low, high)))
    return Calls(count, errors, durations(rng, count, behaviour.p99_ms(identity)))


def lambda_datums(dims: Dimensions, at: datetime, calls: Calls) -> list[Datum]:
    counts = (
        ("Invocations", calls.invocations),
        ("Errors", calls.errors),
        ("Throttles", 0),
    )
    found = [Datum(LAMBDA, name, dims, at, (float(n),), (1.0,)) for name, n in counts]
    if calls.durations:
        values, weights = zip(*calls.durations, strict=True)
        found.append(Datum(LAMBDA, "Duration", dims, at, values, weights, "Milliseconds"))
    return found


def stage_datums(
    rng: random.Random, api_name: str, stage: str, at: datetime, calls: Calls
) -> list[Datum]:
    dims = (("ApiName", api_name), ("Stage", stage))
    client_errors = round(calls.invocations * rng.uniform(0.0, 0.02))
    counts = (("Count", calls.invocations), ("4XXError", client_errors), ("5XXError", calls.errors))
    found = [Datum(APIGW, name, dims, at, (float(n),), (1.0,)) for name, n in counts]
    if calls.durations:
        overhead = rng.uniform(*GATEWAY_OVERHEAD_MS)
        values = tuple(round(v + overhead, 1) for v, _ in calls.durations)
        weights = tuple(c for _, c in calls.durations)
        found.append(Datum(APIGW, "Latency", dims, at, values, weights, "Milliseconds"))
    return found


def minute_datums(rng: random.Random, service: ServiceSnapshot, at: datetime) -> list[Datum]:
    """Every datapoint of one service for the minute starting at `at`."""
    fn, found = service.function, []
    production: Calls | None = None
    if service.live_version is not None:
        version = service.live_version
        count = round(production_rate(fn) * rng.uniform(0.9, 1.1))
        production = calls_for(rng, count, service.behaviour(version), f"{fn}:{version}")
        live = (("FunctionName", fn), ("Resource", f"{fn}:{LIVE_ALIAS}"))
        found += lambda_datums((*live, ("ExecutedVersion", version)), at, production)
        found += lambda_datums(live, at, production)
    tested: dict[str, Calls] = {}
    for colour, version in sorted(service.colours.items()):
        count = rng.randint(*TEST_RATE)
        tested[colour.value] = calls_for(rng, count, service.behaviour(version), f"{fn}:{version}")
        dims = (("FunctionName", fn), ("Resource", f"{fn}:{colour.value}"))
        found += lambda_datums(dims, at, tested[colour.value])
    if service.api_name and production is not None:
        found += stage_datums(rng, service.api_name, service.prod_stage, at, production)
    test_calls = tested.get(service.test_stage_alias or "")
    if service.api_name and test_calls is not None:
        found += stage_datums(rng, service.api_name, service.test_stage, at, test_calls)
    return found
