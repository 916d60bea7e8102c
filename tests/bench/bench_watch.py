"""Figure 12: the watch — API calls from the metrics read showing a breach to the rollback."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.core.metrics import window_minutes
from bgtui.core.watch import Status
from bgtui.core.watch_loop import ServiceWatch
from bgtui.emulator.clients import EmulatorClients
from tests.bench.figures import Figure, at_most, figure
from tests.bench.world import BenchConfig, BenchWorld

GET_METRIC_DATA = "cloudwatch:GetMetricData"
UPDATE_ALIAS = "lambda:UpdateAlias"
GET_ALIAS = "lambda:GetAlias"
BROKEN_MINUTES = 4
"""Minutes of 10 % errors written for the new live version, older than the two still filling."""


class WatchFailed(RuntimeError):
    """The watch did not see the breach or did not roll back as expected."""


class SteppedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    region = world.region()
    function = world.host.add_services(region, 1, 3)[0]
    now = datetime.now(UTC)
    clock = SteppedClock(now - timedelta(minutes=BROKEN_MINUTES + 3))
    backend = _backend(world, region, clock)
    ref = backend.catalog.find(function)
    overridden = backend.operations.prepare_promote(
        ref, reason="CHG-1", overrides={"smoke-passed": "bench"}
    )
    change = replace(overridden, watch_minutes=30)
    backend.operations.execute(change, change.confirmation_text)
    _write_broken_minutes(world.url, region, function, change.target_version, now)
    clock.now = now
    watch = ServiceWatch(
        backend.operations, backend.metrics, ref, backend.settings.watch, "bench", clock
    )
    backend.call_log.reset()
    tick = watch.tick()
    if tick.report is None or tick.report.status is not Status.BREACH or tick.rollback is None:
        raise WatchFailed(f"no breach and rollback: {tick.report}")
    names = [c.name for c in backend.call_log.calls()]
    after_read = names[len(names) - names[::-1].index(GET_METRIC_DATA) :]
    verified = _through_verify(after_read)
    return [
        figure(
            "watch.calls",
            "12. watch: API calls, metrics read showing the breach → rollback verified",
            [len(verified)],
            "calls",
            at_most(2),
            f"{' → '.join(c.partition(':')[2] for c in verified)}; {tick.report.measured}",
        ),
        figure(
            "watch.metrics",
            "12. watch: GetMetricData calls per watched minute (CLI, no console)",
            [names.count(GET_METRIC_DATA)],
            "calls",
            at_most(1),
            "3 metrics: the live colour's production invocations, errors, p99",
        ),
    ]


def _backend(world: BenchWorld, region: str, clock: SteppedClock) -> Backend:
    settings = Settings(
        endpoint_url=world.url,
        region=region,
        audit_path=world.home / "state" / "bgtui" / "watch-audit.jsonl",
    )
    return build_backend(settings, clock=clock)


def _through_verify(names: list[str]) -> list[str]:
    if UPDATE_ALIAS not in names:
        raise WatchFailed(f"no UpdateAlias after the breach: {names}")
    swap = names.index(UPDATE_ALIAS)
    if GET_ALIAS not in names[swap:]:
        raise WatchFailed(f"the rollback was never verified: {names}")
    return names[: names.index(GET_ALIAS, swap) + 1]


def _write_broken_minutes(
    url: str, region: str, function: str, version: str, now: datetime
) -> None:
    """What Lambda reports for a version failing one request in ten, minute by minute."""
    dims = [
        {"Name": "FunctionName", "Value": function},
        {"Name": "Resource", "Value": f"{function}:live"},
        {"Name": "ExecutedVersion", "Value": version},
    ]
    minutes = window_minutes(now, BROKEN_MINUTES + 2)[:BROKEN_MINUTES]
    data = [
        {"MetricName": name, "Dimensions": dims, "Timestamp": at, "Value": value, "Unit": unit}
        for at in minutes
        for name, value, unit in (
            ("Invocations", 100.0, "Count"),
            ("Errors", 10.0, "Count"),
            ("Duration", 120.0, "Milliseconds"),
        )
    ]
    EmulatorClients(url, region).client("cloudwatch").put_metric_data(
        Namespace="AWS/Lambda", MetricData=data
    )
