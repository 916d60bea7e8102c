"""The auto-rollback scenario end to end on the emulator: the trainee promotes the bad build with
an override and walks away; the guard in AWS rolls it back, and its audit record says why.

The alarm event the emulator hands the guard is CloudWatch's Lambda alarm action payload (CloudWatch
User Guide, "Invoke a Lambda function from an alarm"); the guard's rollback is UpdateAlias with
RevisionId (botocore's lambda service model), as tests/guard checks."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend
from bgtui.core.catalog import guarded_by_aws
from bgtui.demo.scenario_world import prepare_scenario, wait_to_reopen
from bgtui.demo.scenarios import auto_rollback, demo_package, scenario_named
from bgtui.demo.traffic import TrafficGenerator
from tests.emulator_fixtures import DemoStack


class SteppedClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_the_guard_rolls_the_overridden_bad_build_back_while_the_console_is_closed(
    demo_stack: DemoStack, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
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
    assert scenario.guarded and not wait_to_reopen(scenario)
    prepare_scenario(scenario, backend, demo_stack.endpoint_url)
    scenario.setup(ops, demo_package)
    ref = ops.catalog.find(scenario.function)
    assert guarded_by_aws(ref)
    before = ops.catalog.read(ref).live.version

    assert not ops.run_smoke(ref).passed
    assert scenario.advance(ops) and scenario.go_on()
    change = ops.prepare_promote(ref, reason="training")
    overrides = {g.name: "training: override" for g in change.failed_gates}
    change = replace(ops.prepare_promote(ref, None, "training", overrides), watch_minutes=10)
    ops.execute(change, ref.function)
    assert scenario.advance(ops) and scenario.go_on()
    assert "quit the console now (press q)" in scenario.banner()
    assert "guard in AWS still watches payments-api" in scenario.reopen_prompt()

    # The console is closed: only the traffic (and with it the emulator's alarms) goes on.
    assert not scenario.advance(ops)
    for _ in range(8):
        clock.now += timedelta(minutes=1)
        traffic.tick()
        if ops.catalog.read(ref).live.version == before:
            break
    assert ops.catalog.read(ref).live.version == before

    # Reopened: the trainee answers the prompt, and the console's first read sees it done.
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    assert wait_to_reopen(scenario)
    assert scenario.advance(ops)
    banner = scenario.banner()
    assert "walk away: done (The guard's audit record: auto-rollback at" in banner
    assert f"alarm {scenario.function}-live-" in banner
    assert scenario.go_on() and scenario.finished
    assert not wait_to_reopen(scenario)
    assert "The guard's audit record" in scenario.banner()
    # Nobody here rolled back: the local trail has no auto-rollback, the guard's record does.
    assert not [r for r in ops.audit.records() if r.action == "auto-rollback"]
    assert scenario.read_guard is not None
    (record,) = scenario.read_guard(scenario.function)
    assert (record.action, record.outcome, record.extra["by"]) == ("auto-rollback", "ok", "guard")
    assert record.extra["rule"].startswith(f"alarm {scenario.function}-live-")
