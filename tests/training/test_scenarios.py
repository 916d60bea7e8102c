"""Both training scenarios end to end on the emulator, with the fast clock, step by step."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend
from bgtui.core.errors import Refused
from bgtui.demo.clock import ScenarioClock
from bgtui.demo.scenarios import Scenario, bad_release, clean_release, demo_package
from bgtui.demo.traffic import TrafficGenerator
from tests.emulator_fixtures import DemoStack


class SteppedClock:
    """Scenario time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        from datetime import timedelta

        self.now += timedelta(minutes=minutes)


@pytest.fixture
def world(demo_stack: DemoStack, tmp_path: Path):
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
    return backend, traffic, clock


def step_done(scenario: Scenario, backend) -> int:
    """Judge the step as the console's refresh does; a done step waits until the trainee goes on."""
    if scenario.advance(backend.operations):
        assert not scenario.advance(backend.operations) and scenario.step_done
        assert scenario.go_on()
    return scenario.index


def test_bad_release_walkthrough(world) -> None:
    backend, traffic, clock = world
    ops = backend.operations
    scenario = bad_release()
    scenario.setup(ops, demo_package)
    ref = ops.catalog.find(scenario.function)
    state = ops.catalog.read(ref)
    assert state.idle_alias.version == scenario.candidate_version
    assert "Step 1/4" in scenario.banner()
    assert step_done(scenario, backend) == 0

    report = ops.run_smoke(ref)
    assert not report.passed
    assert step_done(scenario, backend) == 1

    clock.advance(2)
    traffic.tick()
    change = ops.prepare_promote(ref, reason="training")
    assert "smoke-passed" in [g.name for g in change.failed_gates]
    with pytest.raises(Refused):
        ops.execute(change, ref.function)
    assert step_done(scenario, backend) == 1
    overrides = {g.name: "training: override" for g in change.failed_gates}
    change = ops.prepare_promote(ref, reason="training", overrides=overrides)
    ops.execute(change, ref.function)
    assert ops.catalog.read(ref).live.version == scenario.candidate_version
    assert step_done(scenario, backend) == 2

    for _ in range(5):
        clock.advance(1)
        traffic.tick()
        if step_done(scenario, backend) == 3:
            break
    assert scenario.index == 3, "the live errors alarm never fired"

    ops.execute(ops.prepare_rollback(ref, reason="training: errors"), ref.function)
    assert step_done(scenario, backend) == 4
    assert scenario.finished and "complete" in scenario.banner()
    final = ops.catalog.read(ref)
    assert final.live.version != scenario.candidate_version
    assert ops.audit.verify().ok
    actions = [(r.action, r.outcome) for r in ops.audit.records() if r.phase == "outcome"]
    assert actions[-4:] == [
        ("test", "failed"),
        ("promote", "refused"),
        ("promote", "ok"),
        ("rollback", "ok"),
    ]


def test_clean_release_walkthrough(world) -> None:
    backend, _, _ = world
    ops = backend.operations
    scenario = clean_release()
    scenario.setup(ops, demo_package)
    ref = ops.catalog.find(scenario.function)
    assert ops.run_smoke(ref).passed
    assert step_done(scenario, backend) == 1
    change = ops.prepare_promote(ref, reason="release 44")
    assert not change.blocked
    ops.execute(change, ref.function)
    assert step_done(scenario, backend) == 2
    assert step_done(scenario, backend) == 3
    assert scenario.finished
    assert ops.catalog.read(ref).live.version == scenario.candidate_version


def test_a_done_step_waits_for_the_trainee_and_the_trainer_can_step_back(world) -> None:
    backend, _, _ = world
    ops = backend.operations
    scenario = clean_release()
    scenario.setup(ops, demo_package)
    assert not scenario.go_on(), "a step not done yet cannot be skipped"
    assert not scenario.go_back(), "there is no step before the first"
    assert ops.run_smoke(ops.catalog.find(scenario.function)).passed
    assert scenario.advance(ops)
    for _ in range(3):
        assert not scenario.advance(ops)
        assert scenario.index == 0 and "press n to go on" in scenario.banner()
    assert scenario.go_on() and scenario.index == 1 and "Step 2/3" in scenario.banner()
    assert "b: back" in scenario.banner()
    assert scenario.go_back() and scenario.index == 0 and not scenario.step_done
    assert scenario.advance(ops), "the step gone back to is judged again from the record"


def test_scenario_clock_runs_fast() -> None:
    clock = ScenarioClock(60)
    first = clock()
    import time

    time.sleep(0.05)
    assert (clock() - first).total_seconds() >= 2.5
    with pytest.raises(ValueError):
        ScenarioClock(0.5)
