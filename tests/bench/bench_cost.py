"""Figure 9: what an open console costs in CloudWatch charges, and how much of each API's quota
it takes, from the calls its refresh logic makes over a simulated stretch of time.

The console runs under `run_test()` against the benchmarks' emulator with an injected clock;
each tick moves the clock on by the refresh interval and calls the console's interval
callback, exactly as `set_interval` would. The calls are counted by the backend's call log,
GetMetricData's metrics requested included.

Prices and quotas, as AWS publishes them (default values, us-east-1):
- GetMetricData: $0.01 per 1,000 metrics requested, no free tier
  (https://aws.amazon.com/cloudwatch/pricing/ → Paid tier → Metrics → API requests).
- CloudWatch service quotas (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/
  cloudwatch_limits.html): GetMetricData 50 transactions per second, DescribeAlarms 9.
- Lambda quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
  control plane API requests (excluding invocation, GetFunction and GetPolicy) 15 per second,
  for all of them together, per account and Region.
- API Gateway quotas (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html):
  management operations 10 requests per second in total (burst 40) per account.
- STS and the Resource Groups Tagging API publish no per-second quota for these calls.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.core.metrics_schedule import usd_for
from bgtui.ui.app import BgtuiApp
from tests.bench.bench_status import VERSIONS
from tests.bench.console_probe import settle
from tests.bench.figures import Figure, at_most
from tests.bench.world import BenchConfig, BenchWorld

MINUTES_PER_DAY = 24 * 60
DAY_BUDGET_USD = {3: 0.50, 20: 1.00}
"""The ceilings: the three-service demo and a console watching twenty services."""


@dataclass(frozen=True)
class Quota:
    """A default rate quota per account and Region, and which calls share it."""

    per_second: float
    shared_by: str

    @property
    def per_minute(self) -> float:
        return self.per_second * 60


QUOTAS = {
    "cloudwatch:GetMetricData": Quota(50, "GetMetricData"),
    "cloudwatch:DescribeAlarms": Quota(9, "DescribeAlarms"),
    "lambda": Quota(15, "every Lambda control-plane call"),
    "apigateway": Quota(10, "every API Gateway management call"),
}
SHOWN = (
    "cloudwatch:GetMetricData",
    "lambda:ListAliases",
    "apigateway:GetStages",
    "cloudwatch:DescribeAlarms",
    "tag:GetResources",
)
_OUTSIDE_THE_CONTROL_PLANE = {"lambda:Invoke", "lambda:GetFunction", "lambda:GetPolicy"}


class SimulatedClock:
    """The console's clock, moved on by the benchmark instead of by time.

    It starts 30 s past a five-minute boundary, so every run meets the same metric slots
    (and near the real time: the emulator's traffic is written for the last hour).
    """

    def __init__(self) -> None:
        now = datetime.now(UTC)
        self.now = now.replace(minute=now.minute - now.minute % 5, second=30, microsecond=0)

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Usage:
    """The calls of a simulated stretch of a console's life (the start-up read excluded)."""

    services: int
    minutes: float
    calls: Counter[str]
    metrics_requested: int
    startup_metrics: int

    def per_minute(self, name: str) -> float:
        return self.calls[name] / self.minutes

    @property
    def usd_per_day(self) -> float:
        return usd_for(self.metrics_requested) * MINUTES_PER_DAY / self.minutes

    def pool_per_minute(self, pool: str) -> float:
        """Calls per minute that count against the quota `pool` (a service prefix or a call)."""
        if ":" in pool:
            return self.per_minute(pool)
        counted = _OUTSIDE_THE_CONTROL_PLANE
        shared = [n for n in self.calls if n.startswith(f"{pool}:") and n not in counted]
        return sum(self.calls[n] for n in shared) / self.minutes


async def console_usage(backend: Backend, services: int, minutes: float, tick_s: float) -> Usage:
    """Run the console for `minutes` of simulated time, one tick every `tick_s` seconds."""
    clock = SimulatedClock()
    app = BgtuiApp(backend, clock=clock, refresh_seconds=0)
    async with app.run_test(size=(120, 36)):
        await settle(app)
        shown = len(app.model.states)
        assert shown == services, f"the console read {shown} of {services} services"
        startup = backend.call_log.metrics_requested()
        backend.call_log.reset()
        for _ in range(round(minutes * 60 / tick_s)):
            clock.now += timedelta(seconds=tick_s)
            app.tick()
            await settle(app)
        return Usage(
            services,
            minutes,
            backend.call_log.counts(),
            backend.call_log.metrics_requested(),
            startup,
        )


def cost_figures(usage: Usage) -> list[Figure]:
    size = usage.services
    calls = usage.calls["cloudwatch:GetMetricData"]
    per_minute = usage.metrics_requested / usage.minutes
    figures = [
        Figure(
            f"cost.{size}.usd",
            f"9. CloudWatch $ per console-day, {size} services",
            usage.usd_per_day,
            "$",
            budget=at_most(DAY_BUDGET_USD[size]) if size in DAY_BUDGET_USD else None,
            note=(
                f"{per_minute:.1f} metrics/min in {calls} GetMetricData calls over"
                f" {usage.minutes:g} simulated min; start-up read {usage.startup_metrics} once"
            ),
        )
    ]
    for name in SHOWN:
        figures.append(api_figure(usage, name))
    return figures


def api_figure(usage: Usage, name: str) -> Figure:
    pool = name if name in QUOTAS else name.partition(":")[0]
    quota = QUOTAS.get(pool)
    note = "no published rate quota"
    if quota is not None:
        share = 100 * usage.pool_per_minute(pool) / quota.per_minute
        note = f"quota {quota.per_second:g}/s for {quota.shared_by}: this console {share:.1f} %"
    return Figure(
        f"cost.{usage.services}.{name}",
        f"9. {usage.services} services: {name.partition(':')[2]} calls",
        usage.per_minute(name),
        "/min",
        budget=at_most(quota.per_minute) if quota else None,
        note=note,
    )


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    figures: list[Figure] = []
    for size in config.cost_sizes:
        region = world.region()
        world.host.add_services(region, size, VERSIONS)
        world.host.traffic_round(region)
        tick_s = Settings().refresh_seconds  # the console's default interval
        usage = asyncio.run(console_usage(world.backend(region), size, config.cost_minutes, tick_s))
        figures += cost_figures(usage)
    return figures
