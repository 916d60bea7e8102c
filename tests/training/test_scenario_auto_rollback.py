"""The auto-rollback scenario end to end on the emulator: the watch rolls the bad build back."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend
from bgtui.core.watch import WatchThresholds
from bgtui.core.watch_loop import ServiceWatch
from bgtui.demo.scenarios import auto_rollback, demo_package, scenario_named
from bgtui.demo.traffic import TrafficGenerator
from tests.emulator_fixtures import DemoStack


class SteppedClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_the_watch_rolls_the_overridden_bad_build_back(
    demo_stack: DemoStack, tmp_path: Path
) -> None:
    clock = SteppedClock()
    settings = load_settings(
        None,
        env={"XDG_STATE_HOME": str(tmp_path)},
        endpoint_url=demo_stack.endpoint_url,
        region=demo_stack.region,
    )
    backend = build_backend(settings, clock=clock)
    traffic = TrafficGenerator(
        demo_stack.endpoint_url, demo_stack.region, clock=clock, rng=random.Random(7)
    )
    traffic.tick()
    ops = backend.operations
    scenario = scenario_named("auto-rollback")
    assert scenario == auto_rollback()
    scenario.setup(ops, demo_package)
    ref = ops.catalog.find(scenario.function)
    before = ops.catalog.read(ref).live.version

    assert not ops.run_smoke(ref).passed
    assert scenario.advance(ops) and scenario.go_on()
    change = ops.prepare_promote(ref, reason="training")
    overrides = {g.name: "training: override" for g in change.failed_gates}
    change = replace(ops.prepare_promote(ref, None, "training", overrides), watch_minutes=10)
    ops.execute(change, ref.function)
    assert scenario.advance(ops) and scenario.go_on()
    assert "let the watch act" in scenario.banner()

    watch = ServiceWatch(ops, backend.metrics, ref, WatchThresholds(), "console", clock)
    for _ in range(6):
        clock.now += timedelta(minutes=1)
        traffic.tick()
        if watch.tick().rollback is not None:
            break
    assert scenario.advance(ops) and scenario.go_on()
    assert scenario.finished
    assert ops.catalog.read(ref).live.version == before
    last = [r for r in ops.audit.records() if r.action == "auto-rollback"][-1]
    assert (last.outcome, last.extra["by"]) == ("ok", "console")
    assert last.extra["measured"]
