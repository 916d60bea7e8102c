"""Figure 8: from terraform printing a line to the console showing it, through the real runner."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
import time
from contextlib import aclosing
from pathlib import Path

from textual.message import Message

from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.app.backend import Backend
from bgtui.core.plan import PlanEvent, PlanLine
from bgtui.ui.app import BgtuiApp
from bgtui.ui.messages import TerraformFinished, TerraformOutput
from tests.bench.console_probe import FrameClock, MessageClock, settle
from tests.bench.environment import REPO
from tests.bench.fake_terraform import STAMP
from tests.bench.figures import Figure, at_most, figure
from tests.bench.world import BenchConfig, BenchWorld

FINISH_TIMEOUT_S = 60.0
_LAUNCHER = """#!{python}
import sys
sys.path.insert(0, {repo!r})
from tests.bench.fake_terraform import main
raise SystemExit(main(sys.argv[1:]))
"""


def fake_terraform_root(directory: Path, lines: int, pause_s: float) -> TerraformRunner:
    """A runner on an initialised root whose PATH finds the stand-in `terraform` first."""
    bin_dir, root = directory / "bin", directory / "root"
    (root / ".terraform").mkdir(parents=True, exist_ok=True)
    bin_dir.mkdir(exist_ok=True)
    launcher = bin_dir / "terraform"
    launcher.write_text(_LAUNCHER.format(python=sys.executable, repo=str(REPO)), encoding="utf-8")
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "BENCH_TF_LINES": str(lines),
        "BENCH_TF_PAUSE_S": str(pause_s),
    }
    return TerraformRunner(root, None, env=env)


def printed_at(event: PlanEvent | Message) -> float | None:
    """The epoch second the stand-in printed this line at, if it is one of its stamped lines."""
    if isinstance(event, TerraformOutput):
        event = event.event
    if not isinstance(event, PlanLine) or STAMP not in event.text:
        return None
    return float(event.text.rpartition(STAMP)[2])


async def runner_delays(runner: TerraformRunner) -> list[float]:
    """Seconds from print to the runner's iterator handing the line out."""
    delays = []
    async with aclosing(runner.plan()) as events:
        async for event in events:
            stamp = printed_at(event)
            if stamp is not None:
                delays.append(time.time() - stamp)
    return delays


async def console_delays(backend: Backend, runner: TerraformRunner) -> tuple[list[float], ...]:
    """Seconds from print to the Terraform screen's handler, and to the frame showing the line."""
    wanted = (TerraformOutput, TerraformFinished)
    clock = MessageClock(lambda message: isinstance(message, wanted))
    app = BgtuiApp(backend, refresh_seconds=0, terraform=lambda: runner)
    async with app.run_test(size=(120, 36), message_hook=clock) as pilot:
        await settle(app)
        frames = FrameClock(app)
        # One offset turns the console's perf_counter() into the epoch seconds terraform printed.
        offset = time.time() - time.perf_counter()
        await pilot.press("f")
        await _finished(clock)
        handled, shown = [], []
        for at, message in clock.seen:
            stamp = printed_at(message)
            if stamp is not None:
                handled.append(at + offset - stamp)
                shown.append(await frames.wait_after(at) + offset - stamp)
    return handled, shown


async def _finished(clock: MessageClock) -> None:
    deadline = time.perf_counter() + FINISH_TIMEOUT_S
    while not any(isinstance(message, TerraformFinished) for _, message in clock.seen):
        if time.perf_counter() > deadline:
            raise TimeoutError("the terraform plan never finished in the console")
        await asyncio.sleep(0.01)


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    lines, pause = config.terraform_lines, config.terraform_pause_s
    runner = fake_terraform_root(world.home / "terraform", lines, pause)
    at_runner = asyncio.run(runner_delays(runner))
    backend = world.backend(world.demo_region())
    handled, shown = asyncio.run(console_delays(backend, runner))
    if len(shown) != lines or len(at_runner) != lines:
        raise RuntimeError(f"{lines} lines printed, {len(shown)} shown, {len(at_runner)} read")
    note = f"{lines} lines, {pause * 1000:.0f} ms apart; stand-in terraform on PATH"
    return [
        figure(
            "terraform.shown",
            "8. terraform line printed → shown in the console",
            [s * 1000 for s in shown],
            "ms",
            at_most(100),
            note,
        ),
        figure(
            "terraform.handled",
            "8. printed → Terraform screen handler",
            [h * 1000 for h in handled],
            "ms",
        ),
        figure(
            "terraform.runner",
            "8. printed → runner's iterator (no console)",
            [r * 1000 for r in at_runner],
            "ms",
        ),
    ]
