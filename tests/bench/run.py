"""`make bench`: run every benchmark, print one table, write it to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

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
from tests.bench.aws_cli import ensure_bench_venv
from tests.bench.environment import REPO, use_bench_env
from tests.bench.figures import Figure
from tests.bench.report import markdown, text_table, this_machine
from tests.bench.world import QUICK, BenchConfig, BenchWorld

Benchmark = Callable[[BenchConfig, BenchWorld], list[Figure]]
BENCHMARKS: dict[str, Benchmark] = {
    "install": bench_install.measure,
    "startup": bench_startup.measure,
    "status": bench_status.measure,
    "cli": bench_cli.measure,
    "metrics": bench_metrics.measure,
    "swap": bench_swap.measure,
    "scale": bench_scale.measure,
    "idle": bench_idle.measure,
    "terraform": bench_terraform.measure,
    "cost": bench_cost.measure,
    "logs": bench_logs.measure,
    "guard": bench_guard.measure,
    "watch": bench_watch.measure,
}
DEFAULT_OUTPUT = REPO / "docs" / "benchmarks.md"


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every benchmark once, minimal size")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(BENCHMARKS)}")
    parser.add_argument("--runs", type=int, help="repetitions of in-process measurements")
    parser.add_argument("--idle-seconds", type=float, help="the idle window (default 60)")
    parser.add_argument(
        "--output",
        type=Path,
        help=f"markdown to write (default {DEFAULT_OUTPUT}, not with --quick or --only)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args(argv)


def config_from(args: argparse.Namespace) -> BenchConfig:
    config = QUICK if args.quick else BenchConfig()
    if args.runs:
        config = replace(config, runs=args.runs)
    if args.idle_seconds:
        config = replace(config, idle_seconds=args.idle_seconds)
    return config


def chosen(only: str) -> dict[str, Benchmark]:
    names = [name.strip() for name in only.split(",") if name.strip()] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
    return {name: BENCHMARKS[name] for name in names}


def run_all(benchmarks: dict[str, Benchmark], config: BenchConfig) -> tuple[list[Figure], int]:
    """Every benchmark in turn; one that fails becomes a line saying so, and the rest still run."""
    figures: list[Figure] = []
    failed = 0
    world = BenchWorld(config)
    try:
        for name, benchmark in benchmarks.items():
            print(f"… {name}", file=sys.stderr, flush=True)
            try:
                figures += benchmark(config, world)
            except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
                traceback.print_exc()
                failed += 1
                figures.append(Figure(name, f"{name}: failed", math.nan, "", note=str(error)[:120]))
    finally:
        world.close()
    return figures, failed


def command_line(argv: Sequence[str]) -> str:
    return " ".join(["make bench"] if not argv else ["python -m tests.bench.run", *argv])


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    benchmarks = chosen(args.only)
    use_bench_env()
    if "cli" in benchmarks:
        ensure_bench_venv()
    load_before = os.getloadavg()
    figures, failed = run_all(benchmarks, config_from(args))
    load = (load_before[0] + os.getloadavg()[0]) / 2
    print(text_table(figures))
    output = destination(args)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        page = markdown(figures, command_line(argv), this_machine(), load=load)
        output.write_text(page, encoding="utf-8")
        print(f"written to {output}", file=sys.stderr)
    return 1 if failed else 0


def destination(args: argparse.Namespace) -> Path | None:
    """Where the table goes: quick or partial runs never replace the full table unless asked."""
    if args.no_write or ((args.quick or args.only) and args.output is None):
        return None
    return args.output or DEFAULT_OUTPUT


if __name__ == "__main__":
    raise SystemExit(main())
