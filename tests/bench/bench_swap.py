"""Figure 5: a swap — API calls and wall time from confirmation to the verified live alias."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from bgtui.adapters.aws.call_log import ApiCall
from bgtui.app.backend import Backend
from bgtui.core.change import Change
from bgtui.core.models import ServiceRef
from tests.bench.figures import Figure, at_most, figure
from tests.bench.world import BenchConfig, BenchWorld

REASON = "CHG-4711 scheduled release"
UPDATE_ALIAS = "lambda:UpdateAlias"
GET_ALIAS = "lambda:GetAlias"


class SwapFailed(RuntimeError):
    """The swap did not complete or was not verified as expected."""


@dataclass(frozen=True)
class SwapSample:
    """One promote: the calls up to the verifying GetAlias, all calls, and the two durations."""

    to_verified: tuple[str, ...]
    all_calls: tuple[str, ...]
    verified_s: float
    total_s: float


def prepared_promote(backend: Backend, ref: ServiceRef) -> Change:
    """Smoke-test the idle colour (a gate), then prepare the promote as the console does."""
    report = backend.operations.run_smoke(ref)
    if not report.passed:
        raise SwapFailed(f"smoke checks of {ref.function} failed: {report.summary}")
    change = backend.operations.prepare_promote(ref, reason=REASON)
    if change.blocked:
        raise SwapFailed(f"promote of {ref.function} blocked: {change.failed_gates}")
    return change


def timed_swap(backend: Backend, change: Change) -> SwapSample:
    """Execute the confirmed change with a clean call log."""
    backend.call_log.reset()
    started_at, started = time.time(), time.perf_counter()
    backend.operations.execute(change, change.confirmation_text)
    total = time.perf_counter() - started
    calls = backend.call_log.calls()
    verify = _verifying_read(calls)
    verified_at = verify.started_at + verify.duration_s
    cut = calls.index(verify) + 1
    return SwapSample(
        tuple(c.name for c in calls[:cut]),
        tuple(c.name for c in calls),
        verified_at - started_at,
        total,
    )


def _verifying_read(calls: Sequence[ApiCall]) -> ApiCall:
    names = [c.name for c in calls]
    if UPDATE_ALIAS not in names:
        raise SwapFailed(f"no UpdateAlias was sent: {names}")
    after = names.index(UPDATE_ALIAS)
    found = next((c for c in calls[after:] if c.name == GET_ALIAS), None)
    if found is None:
        raise SwapFailed(f"the swap was never verified by a GetAlias: {names}")
    return found


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    region = world.region()
    function = world.host.add_services(region, 1, 3)[0]
    warm = world.backend(region)
    ref = warm.catalog.find(function)
    samples = [timed_swap(warm, prepared_promote(warm, ref)) for _ in range(config.swaps)]
    # A console that has written no audit record yet still has to ask who it is.
    fresh = world.backend(region)
    prepared_promote(warm, ref)
    first = timed_swap(fresh, fresh.operations.prepare_promote(ref, reason=REASON))
    return _figures(samples, first)


def _figures(samples: list[SwapSample], first: SwapSample) -> list[Figure]:
    path = " → ".join(c.partition(":")[2] for c in samples[-1].to_verified)
    rest = " · ".join(
        c.partition(":")[2] for c in samples[-1].all_calls[len(samples[-1].to_verified) :]
    )
    fresh_path = " → ".join(c.partition(":")[2] for c in first.to_verified)
    return [
        figure(
            "swap.calls",
            "5. swap: API calls, confirmation → verified",
            [len(s.to_verified) for s in samples],
            "calls",
            at_most(3),
            path,
        ),
        figure(
            "swap.calls.first",
            "5. swap: the same, first mutation of a console",
            [len(first.to_verified)],
            "calls",
            at_most(3),
            fresh_path,
        ),
        figure(
            "swap.time",
            "5. swap: confirmation → verified",
            [s.verified_s * 1000 for s in samples],
            "ms",
        ),
        figure(
            "swap.after",
            "5. swap: calls after verification",
            [len(s.all_calls) - len(s.to_verified) for s in samples],
            "calls",
            note=rest,
        ),
        figure(
            "swap.total",
            "5. swap: the whole execute, calls after verification included",
            [s.total_s * 1000 for s in samples],
            "ms",
        ),
    ]
