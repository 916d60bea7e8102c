"""Every benchmark once at minimal size, so none of them rots; the figures are checked for sense,
not against their budgets (timings are not tests)."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Iterator

import pytest

from tests.bench import (
    bench_cli,
    bench_cost,
    bench_guard,
    bench_idle,
    bench_install,
    bench_logs,
    bench_metrics,
    bench_scale,
    bench_startup,
    bench_status,
    bench_swap,
    bench_terraform,
    bench_watch,
)
from tests.bench.figures import Figure, at_least, at_most, figure
from tests.bench.report import markdown, text_table, this_machine
from tests.bench.world import QUICK, BenchWorld

_tmux_missing = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="drives the real console in tmux, which is not installed"
)


def needs_tmux(test: Callable[..., None]) -> Callable[..., None]:
    """The real console in a tmux pane: an end-to-end test."""
    return pytest.mark.e2e(_tmux_missing(test))


@pytest.fixture(scope="module")
def world() -> Iterator[BenchWorld]:
    bench = BenchWorld(QUICK)
    try:
        yield bench
    finally:
        bench.close()


def by_key(figures: list[Figure]) -> dict[str, Figure]:
    for found in figures:
        assert math.isfinite(found.value), f"{found.label} was not measured"
        assert found.runs >= 1
    return {found.key: found for found in figures}


@pytest.mark.e2e
def test_a_fresh_clone_installs_the_demo() -> None:
    seconds = bench_install.fresh_clone_install()
    assert 0 < seconds < 600


@needs_tmux
def test_startup_reaches_a_frame_with_data(world: BenchWorld) -> None:
    figures = by_key(bench_startup.measure(QUICK, world))
    startup = figures["startup"]
    assert 0 < startup.value < 60
    assert figures["startup.imports"].value > figures["startup.import.textual"].value > 0
    in_process = figures["startup.app.services"], figures["startup.app.painted"]
    assert 0 < in_process[0].value < in_process[1].value
    assert "startup.rest" in figures


def test_status_read_counts_its_calls(world: BenchWorld) -> None:
    figures = by_key(bench_status.measure(QUICK, world))
    # Discovery, the alarms of every service at once, then aliases and stages per service.
    assert figures["status.2.calls"].value == 1 + 1 + 2 * 2
    assert figures["status.2.time"].value > 0


def test_cli_comparison_reads_the_same_services(world: BenchWorld) -> None:
    figures = by_key(bench_cli.measure(QUICK, world))
    assert "5 aws processes" in figures["cli.aws"].note
    assert figures["cli.ratio"].value == pytest.approx(
        figures["cli.aws"].value / figures["cli.bgtui"].value
    )


def test_metrics_refresh_is_one_call_and_painted(world: BenchWorld) -> None:
    figures = by_key(bench_metrics.measure(QUICK, world))
    assert figures["metrics.calls"].value == 1
    # The selected service in full (2 colours x 2 kinds of traffic x 4 + 2 stages x 4), the
    # other at a glance (the live colour's production invocations, errors and p99).
    assert "27 series" in figures["metrics.calls"].label
    assert figures["metrics.paint"].value > 0


def test_console_cost_comes_from_the_calls_made(world: BenchWorld) -> None:
    figures = by_key(bench_cost.measure(QUICK, world))
    # Six simulated minutes of three services: the selected one in full at each of six
    # minute slots, the two others at a glance at one five-minute slot (the start-up read
    # is reported apart).
    metrics = 6 * 24 + 1 * 2 * 3
    cost = figures["cost.3.usd"]
    assert cost.value == pytest.approx(metrics * 0.01 / 1000 * 24 * 60 / 6)
    assert cost.verdict == "ok" and cost.unit == "$"
    assert "start-up read 72 once" in cost.note
    # State is read on every five-second tick: 12 ticks a minute, 3 services each.
    assert figures["cost.3.lambda:ListAliases"].value == pytest.approx(12 * 3)
    assert figures["cost.3.tag:GetResources"].value == pytest.approx(12)
    assert "quota 15/s for every Lambda control-plane call" in (
        figures["cost.3.lambda:ListAliases"].note
    )
    assert figures["cost.3.cloudwatch:GetMetricData"].budget is not None


def test_the_guard_rolls_back_on_an_emulator_alarm(world: BenchWorld) -> None:
    figures = by_key(bench_guard.measure(QUICK, world))
    assert 0 < figures["guard.time"].value < 60_000


def test_swap_is_verified_within_three_calls(world: BenchWorld) -> None:
    figures = by_key(bench_swap.measure(QUICK, world))
    assert figures["swap.calls"].note == "UpdateAlias → GetAlias"
    assert figures["swap.calls.first"].value == 3
    assert figures["swap.total"].value >= figures["swap.time"].value


def test_watch_rolls_back_within_two_calls_of_the_breach(world: BenchWorld) -> None:
    figures = by_key(bench_watch.measure(QUICK, world))
    assert figures["watch.calls"].value == 2
    assert figures["watch.calls"].note.startswith("UpdateAlias → GetAlias; 5xx 10.0% > 2%")
    assert figures["watch.metrics"].value == 1


@needs_tmux
def test_scale_filters_and_measures_memory(world: BenchWorld) -> None:
    figures = by_key(bench_scale.measure(QUICK, world))
    assert figures["scale.filter"].runs == 2 * len(QUICK.filter_text)
    assert 20 < figures["scale.rss"].value <= figures["scale.peak"].value


@needs_tmux
def test_idle_console_uses_some_cpu(world: BenchWorld) -> None:
    figures = by_key(bench_idle.measure(QUICK, world))
    assert 0 < figures["idle.cpu"].value < 200


def test_terraform_lines_are_timed_where_shown(world: BenchWorld) -> None:
    figures = by_key(bench_terraform.measure(QUICK, world))
    shown, runner = figures["terraform.shown"], figures["terraform.runner"]
    assert shown.runs == QUICK.terraform_lines
    assert 0 <= runner.value <= shown.value


def test_table_and_markdown_carry_every_figure_and_verdict() -> None:
    figures = [
        figure("a", "1. start", [1.6, 1.9, 1.0], "s", at_most(1.5)),
        figure("b", "3. ratio", [7.5], "x", at_least(5.0)),
    ]
    page = markdown(figures, "make bench", this_machine(), load=1.0)
    assert "| 1. start | 1.600 s | 3 | ≤ 1.500 s | MISSED |" in page
    assert "| 3. ratio | 7.5x | 1 | ≥ 5.0x | ok |" in page
    assert "1 budget(s) missed" in page
    assert "Produced by `make bench`" in page
    assert "7.5x" in text_table(figures)


def test_following_logs_polls_once_per_interval_and_prices_live_tail(world: BenchWorld) -> None:
    """One poll every 5 s is 12 calls a minute, 4 % of FilterLogEvents' 5/s quota; across
    midnight UTC a poll asks two dates' prefixes for a minute."""
    figures = by_key(bench_logs.measure(QUICK, world))
    follow = figures["logs.follow.filter"]
    assert follow.value == pytest.approx(12, abs=0.5) and follow.verdict == "ok"
    assert "4.0 % per follower" in follow.note
    assert figures["logs.follow.filter_midnight"].value > follow.value
    assert figures["logs.livetail.usd_hour"].value == pytest.approx(0.60)
