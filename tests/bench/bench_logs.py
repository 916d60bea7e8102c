"""Figure 10: what following one colour's logs costs: FilterLogEvents polls against their quota
on the emulator (an injected clock, no waiting), and Live Tail's price per hour on AWS.

Prices and quotas, as AWS publishes them (default values, us-east-1):
- FilterLogEvents: 5 transactions per second per account and Region, not adjustable
  ("How do I determine throttling in my CloudWatch logs?",
  https://repost.aws/knowledge-center/cloudwatch-logs-throttling).
- Live Tail: billed per session minute, $0.01 a minute after 1,800 free minutes a month
  (https://aws.amazon.com/cloudwatch/pricing/ → Logs → Live Tail; StartLiveTail in the AWS CLI
  reference: "Live Tail sessions incur charges by session usage time, per minute").
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, timedelta

from bgtui.adapters.aws.lambda_logs import (
    FILTER_TPS_QUOTA,
    LIVE_TAIL_USD_PER_MINUTE,
    POLL_INTERVAL_S,
    LambdaLogs,
)
from bgtui.app.backend import Backend
from tests.bench.figures import Figure, at_most
from tests.bench.world import BenchConfig, BenchWorld

QUOTA_SHARE_BUDGET = 0.05
"""One follower may take at most 5 % of the account's FilterLogEvents quota."""
CALL = "logs:FilterLogEvents"


class SimulatedClock:
    """Moved on by the adapter's pauses instead of by time."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def follow_calls(backend: Backend, function: str, start: datetime, minutes: float) -> float:
    """FilterLogEvents calls per minute while one version is followed for `minutes`."""
    assert backend.context is not None
    clock = SimulatedClock(start)
    logs = LambdaLogs(backend.context, clock=clock, sleep=clock.sleep)
    ends = start + timedelta(minutes=minutes)
    backend.call_log.reset()
    for _ in logs.follow(function, "1", start, lambda: clock.now >= ends):
        pass
    return backend.call_log.count(CALL) / minutes


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    region = world.region()
    (function,) = world.host.add_services(region, 1)
    backend = world.backend(region)
    assert backend.context is not None
    with suppress(Exception):  # written by traffic already, or not yet: either way it exists
        backend.context.client("logs").create_log_group(logGroupName=f"/aws/lambda/{function}")
    minutes = config.cost_minutes
    # Yesterday at noon UTC, whatever the hour of the run: a window that started just after
    # midnight would hold two dates, the case measured apart below.
    now = (datetime.now(UTC) - timedelta(days=1)).replace(hour=12, minute=0, second=0)
    now = now.replace(microsecond=0)
    per_minute = follow_calls(backend, function, now, minutes)
    # The window of a poll holds two dates for a minute after midnight UTC: two prefixes.
    midnight = now.replace(hour=23, minute=58) - timedelta(days=1)
    across = follow_calls(backend, function, midnight, minutes)
    quota_per_minute = FILTER_TPS_QUOTA * 60
    share = 100 * per_minute / quota_per_minute
    return [
        Figure(
            "logs.follow.filter",
            "10. following a colour's logs: FilterLogEvents calls",
            per_minute,
            "/min",
            budget=at_most(quota_per_minute * QUOTA_SHARE_BUDGET),
            note=(
                f"a poll every {POLL_INTERVAL_S:g} s over {minutes:g} simulated min; quota "
                f"{FILTER_TPS_QUOTA:g}/s per account and Region: {share:.1f} % per follower"
            ),
        ),
        Figure(
            "logs.follow.filter_midnight",
            "10. the same across midnight UTC",
            across,
            "/min",
            budget=at_most(quota_per_minute * QUOTA_SHARE_BUDGET),
            note="two stream prefixes (two dates) while the window spans midnight",
        ),
        Figure(
            "logs.livetail.usd_hour",
            "10. Live Tail on AWS, one colour, per hour",
            60 * LIVE_TAIL_USD_PER_MINUTE,
            "$",
            note="$0.01 a session minute after 1,800 free a month; both colours: twice",
        ),
    ]
