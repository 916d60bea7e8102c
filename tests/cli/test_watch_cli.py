"""`promote --watch` and `bgtui watch` on the emulator, with a stepped clock and traffic."""

from __future__ import annotations

import argparse
import io
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bgtui.app.service import ReleaseService
from bgtui.app.settings import load_settings
from bgtui.app.shapes import status_document
from bgtui.app.wiring import build_service
from bgtui.cli.changes import confirm_and_run
from bgtui.cli.main import build_parser, main
from bgtui.cli.watch import follow, parse_duration, promote_and_watch
from bgtui.core.change import Change
from bgtui.core.errors import EXIT_REFUSED, BadInput, Refused
from bgtui.demo.traffic import TrafficGenerator
from tests.emulator_fixtures import DemoStack

FN = "payments-api"
ISO = "%Y-%m-%dT%H:%M:%SZ"


class SteppedClock:
    """Time that moves only when the watch sleeps."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


class World:
    def __init__(self, stack: DemoStack, state_home: Path) -> None:
        self.clock = SteppedClock()
        self.stack, self.state_home = stack, state_home
        self.service = self.host()
        self.backend = self.service.backend
        self.traffic = TrafficGenerator(
            stack.endpoint_url, stack.region, clock=self.clock, rng=random.Random(7)
        )
        self.traffic.tick()
        self.slept: list[float] = []

    def host(self) -> ReleaseService:
        """A backend as another host would build it: same AWS, its own audit file."""
        settings = load_settings(
            None,
            env={"XDG_STATE_HOME": str(self.state_home)},
            endpoint_url=self.stack.endpoint_url,
            region=self.stack.region,
        )
        return build_service(settings, clock=self.clock)

    def sleep(self, seconds: float) -> None:
        """The watch's sleep: time passes at once and the traffic of those minutes lands."""
        assert seconds <= 80, seconds
        self.slept.append(seconds)
        self.clock.now += timedelta(seconds=seconds)
        self.traffic.tick()

    def promote(self, healthy: bool, watch: str = "") -> tuple[int, str]:
        ref = self.service.find(FN)
        idle = self.service.read(ref).idle_alias
        assert idle is not None
        self.traffic.set_behaviour(FN, idle.version, healthy=healthy)
        change = self.service.prepare_promote(ref, None, "CHG-7", ["smoke-passed"])
        args = argparse.Namespace(watch=watch, yes=True)
        out = io.StringIO()
        code = promote_and_watch(
            self.service, change, args, self.confirm(out), out=out, sleep=self.sleep
        )
        return code, out.getvalue()

    @staticmethod
    def confirm(out: io.StringIO) -> Callable[[ReleaseService, Change, argparse.Namespace], int]:
        def run(service: ReleaseService, change: Change, args: argparse.Namespace) -> int:
            return confirm_and_run(service, change, args, out)

        return run


@pytest.fixture
def world(demo_stack: DemoStack, tmp_path: Path) -> World:
    return World(demo_stack, tmp_path)


def test_a_bad_release_is_rolled_back_and_exits_1(world: World) -> None:
    before = world.backend.catalog.read(world.backend.catalog.find(FN))
    assert before.live is not None
    code, text = world.promote(healthy=False, watch="10m")
    assert code == 1, text
    # The module's live alarm (one minute) or the 5xx rule: whichever the minutes show first.
    assert "breaching (5xx " in text
    assert "auto-rollback: " in text
    after = world.backend.catalog.read(world.backend.catalog.find(FN))
    assert after.live is not None and after.live.version == before.live.version
    assert after.record is not None and after.record.watch_until == ""
    records = [r for r in world.backend.audit.records() if r.action == "auto-rollback"]
    assert [r.outcome for r in records] == [None, "ok"]
    assert records[-1].extra["rule"] in ("live alarm", "5xx > 2% in 3 of 3 minutes")
    assert records[-1].extra["measured"] in text
    # Breach decided within the window, a minute at a time: no long sleeps.
    assert len(world.slept) <= 8


def test_a_healthy_release_passes_the_window_and_exits_0(world: World) -> None:
    code, text = world.promote(healthy=True, watch="4m")
    assert code == 0, text
    lines = [line for line in text.splitlines() if line[:2].isdigit()]
    # The minute of the swap and the minute the window ends in are both partly in it.
    assert len(lines) == 5
    assert all(line.endswith("healthy") for line in lines[1:]), lines
    assert text.rstrip().splitlines()[-1].startswith("passed: ")


def test_watch_attaches_from_another_host(world: World) -> None:
    service = world.service
    ref = service.find(FN)
    idle = service.read(ref).idle_alias
    assert idle is not None
    world.traffic.set_behaviour(FN, idle.version, healthy=False)
    change = service.prepare_promote(ref, None, "CHG-7", ["smoke-passed"], watch_minutes=10)
    out = io.StringIO()
    confirm_and_run(service, change, _yes(), out)
    other = world.host()
    attached = io.StringIO()
    assert follow(other, FN, attached, world.sleep) == 1
    assert "auto-rollback" in attached.getvalue()


def test_two_hosts_watching_one_window_record_its_pass_once(world: World) -> None:
    """The pass is claimed on the live record with UpdateAlias and the RevisionId read (botocore's
    lambda model: "Only update the alias if the revision ID matches"), so a second host that
    follows the same window reports the pass without recording (and announcing) it again."""
    code, text = world.promote(healthy=True, watch="4m")
    assert code == 0, text
    assert "recorded by another watcher" not in text
    attached = io.StringIO()
    assert follow(world.host(), FN, attached, world.sleep) == 0
    last = attached.getvalue().rstrip().splitlines()[-1]
    assert last.startswith("passed: ") and last.endswith("(recorded by another watcher)"), last
    assert len([r for r in world.backend.audit.records() if r.action == "watch"]) == 1
    state = world.backend.catalog.read(world.backend.catalog.find(FN))
    assert state.record is not None and state.record.passed_at and state.record.watch_until


def test_the_confirmation_and_status_json_name_the_watch(world: World) -> None:
    """The operator agrees to the window with the swap; `status --json` shows it open, then shut."""
    service = world.service
    ref = service.find(FN)
    change = service.prepare_promote(ref, None, "CHG-7", ["smoke-passed"], watch_minutes=10)
    out = io.StringIO()
    confirm_and_run(service, change, _yes(), out)
    assert "watch, rolls back on breach: none → 10 min" in out.getvalue()
    watch = status_document(service.status(FN).read)["services"][0]["watch"]
    assert watch["open"] is True
    assert watch["until"] == (world.clock.now + timedelta(minutes=10)).strftime(ISO)
    world.clock.now += timedelta(minutes=11)
    assert status_document(service.status(FN).read)["services"][0]["watch"]["open"] is False


def test_a_promote_without_a_watch_shows_none(world: World) -> None:
    service = world.service
    change = service.prepare_promote(service.find(FN), None, "CHG-7", ["smoke-passed"])
    assert all(not what.startswith("watch") for what, _, _ in change.before_after())


def test_watch_with_no_window_open_is_refused(world: World) -> None:
    with pytest.raises(Refused, match="no watch is open on payments-api"):
        follow(world.service, FN, io.StringIO(), world.sleep)


def test_durations_and_the_parser() -> None:
    assert [parse_duration(t) for t in ("10", "10m", "1h")] == [10, 10, 60]
    with pytest.raises(BadInput):
        parse_duration("soon")
    args = build_parser().parse_args(["promote", FN, "--watch", "--reason", "x"])
    assert args.watch == ""
    assert build_parser().parse_args(["promote", FN, "--watch", "5m"]).watch == "5m"
    assert build_parser().parse_args(["watch", FN]).function == FN


def _yes() -> argparse.Namespace:
    return argparse.Namespace(yes=True)


def test_bgtui_watch_runs_from_the_command_table(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bgtui watch FN` is dispatched to bgtui.cli.watch; no open window is one line, exit 1."""
    monkeypatch.setenv("XDG_STATE_HOME", str(world.state_home))
    stack = world.stack
    argv = ["watch", FN, "--endpoint-url", stack.endpoint_url, "--region", stack.region]
    assert main(argv) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "bgtui: refused: no watch is open on payments-api: the live record holds no watch end"
    ]
