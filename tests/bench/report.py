"""The benchmark table: printed to the terminal and written to docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.figures import Figure

HEADERS = ("figure", "median", "runs", "budget", "verdict", "note")


@dataclass(frozen=True)
class Machine:
    """Where the figures were measured."""

    cores: int
    cpu: str
    memory_gib: float
    python: str
    system: str

    @property
    def text(self) -> str:
        return (
            f"{self.cores} cores ({self.cpu}), {self.memory_gib:.1f} GiB RAM, "
            f"Python {self.python}, {self.system}"
        )


def this_machine() -> Machine:
    return Machine(
        cores=os.cpu_count() or 0,
        cpu=_cpu_model(),
        memory_gib=_memory_gib(),
        python=platform.python_version(),
        system=f"{platform.system()} {platform.release()}",
    )


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    return [
        (
            f.label,
            f.shown,
            str(f.runs),
            f.budget.text(f.unit) if f.budget else "",
            f.verdict,
            f.note,
        )
        for f in figures
    ]


def text_table(figures: Sequence[Figure]) -> str:
    """A plain table for the terminal, columns padded to their widest cell."""
    table = [HEADERS, *rows(figures)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(figures: Sequence[Figure]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    body = [line(HEADERS), line(["---"] * len(HEADERS))]
    body += [line(row) for row in rows(figures)]
    return "\n".join(body)


def markdown(
    figures: Sequence[Figure],
    command: str,
    machine: Machine,
    load: float,
    at: datetime | None = None,
) -> str:
    """The whole docs/benchmarks.md: how it was produced, where, the table, the method."""
    when = (at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    missed = [f.label for f in figures if f.verdict == "MISSED"]
    verdict = f"{len(missed)} budget(s) missed." if missed else "Every budget met."
    return "\n".join(
        [
            "# Benchmarks",
            "",
            f"Produced by `{command}` on {when}.",
            "",
            f"Machine: {machine.text}; 1-minute load average around the run: {load:.1f}.",
            "",
            "Each figure is the median of the runs shown; ratios are measured side by side in",
            f"the same run. {verdict}",
            "",
            markdown_table(figures),
            "",
            METHOD,
        ]
    )


METHOD = """## How each figure is measured

1. **Start → first frame with data**: the real `bgtui --endpoint-url URL` command in a
   120x36 tmux pane (private tmux socket), against the benchmarks' emulator process
   (`tests/bench/host_process.py`: the embedded emulator with the demo stack provisioned over
   HTTP and synthetic traffic every 10 s, as `bgtui emulator` runs them). The clock starts
   when the command is launched in the pane and stops at the first `capture-pane` (polled
   every 20 ms) that shows a service's pointers (`LIVE ◆ blue v2`) and its sparklines (no
   `reading metrics…` left). 1a to 1d come from fresh processes (`python -X importtime` of the
   modules the console loads, then the keyring lookup of the audit key); 1e runs the backend
   and the app in-process under `run_test()`; 1f is what those parts leave unexplained.
2. **Status read**: `catalog.discover()` + `catalog.read_many()` through one backend, calls
   counted by `backend.call_log`, against an emulator process holding exactly N services
   (created in that process through moto's backends, see `tests/bench/bulk.py`).
3. **AWS CLI comparison**: the same services read the way a shell script does it, one process
   per call: `aws resourcegroupstaggingapi get-resources` once, then per service
   `aws lambda list-versions-by-function` and `aws lambda get-alias` for blue, green and live.
   The AWS CLI lives in its own virtualenv (`.venv-bench`), created on first use.
4. **Metrics refresh**: the console driven by `run_test()` against an emulator with traffic;
   GetMetricData calls of one refresh with every row on screen due (the selected service in
   full, a glance at the others) from the call log, and the console's own paint latency
   (from the worker posting `HealthRead` to the frame after it, `call_after_refresh`).
5. **Swap**: `operations.execute()` of a prepared promote; calls from the call log up to the
   verifying `GetAlias`, and everything `execute` sends (stage, re-read, audit copy).
6. **Scale**: 1,000 functions with 50 versions each. Discovery through the catalog; filter
   latency from each key event reaching the console (`run_test(message_hook=…)`) to the first
   frame composed after the list changed (headless); the resident memory (VmRSS) of a real
   console process in tmux once it shows the list.
7. **Idle cost**: utime + stime from `/proc/PID/stat` of a real console in tmux, refreshing
   every 5 s, over the measured window, as a share of one core.
8. **Terraform streaming**: a stand-in `terraform` on PATH prints `-json` lines stamped with the
   time they were printed, with sleeps between them; the delay is measured where the console
   shows the line (the Terraform screen's handler) and, separately, at the runner's iterator.
9. **What an open console costs**: the console under `run_test()` against an emulator region
   holding exactly N services, with an injected clock moved on 5 s per tick for 20 simulated
   minutes (after its start-up read), calling the console's interval callback each tick. The
   calls and GetMetricData's metrics requested come from the call log; dollars at $0.01 per
   1,000 metrics requested (CloudWatch pricing), scaled to 24 hours. Each API's calls per
   minute stand next to its default rate quota (CloudWatch, Lambda and API Gateway quotas
   pages); the note gives the share of the quota, counting every call that shares it.
"""
