"""Figure 3: the status read as a shell script does it with the AWS CLI, one process per call."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.bench.aws_cli import aws_command
from tests.bench.bench_status import VERSIONS, status_read
from tests.bench.environment import bench_env
from tests.bench.figures import Figure, at_least, figure, timed
from tests.bench.world import BenchConfig, BenchWorld

ALIASES = ("blue", "green", "live")
MANAGED = "Key=bluegreen:managed,Values=true"


class CliFailed(RuntimeError):
    """The AWS CLI answered with an error or with something that is not the expected state."""


class AwsCli:
    """`aws --endpoint-url URL --region R --output json …`, a new process for every call."""

    def __init__(self, command: list[str], endpoint_url: str, region: str, home: Path) -> None:
        self.base = [*command, "--endpoint-url", endpoint_url, "--region", region]
        self.base += ["--output", "json"]
        self.env = bench_env(home)
        self.processes = 0

    def run(self, *args: str) -> dict[str, Any]:
        self.processes += 1
        done = subprocess.run(
            [*self.base, *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise CliFailed(f"aws {' '.join(args[:2])}: {done.stderr.strip()[-500:]}")
        return dict(json.loads(done.stdout))

    def status(self) -> dict[str, dict[str, str]]:
        """Every managed function's alias versions, as `status.sh` would collect them."""
        found = self.run(
            "resourcegroupstaggingapi",
            "get-resources",
            "--resource-type-filters",
            "lambda:function",
            "--tag-filters",
            MANAGED,
        )
        functions = [m["ResourceARN"].split(":")[6] for m in found["ResourceTagMappingList"]]
        return {fn: self._service(fn) for fn in functions}

    def _service(self, function: str) -> dict[str, str]:
        versions = self.run("lambda", "list-versions-by-function", "--function-name", function)
        state = {"versions": str(len(versions["Versions"]))}
        for alias in ALIASES:
            answer = self.run("lambda", "get-alias", "--function-name", function, "--name", alias)
            state[alias] = answer["FunctionVersion"]
        return state


def measure(config: BenchConfig, world: BenchWorld) -> list[Figure]:
    count, region = config.cli_services, world.region()
    world.host.add_services(region, count, VERSIONS)
    backend = world.backend(region)
    cli = AwsCli(aws_command(config.real_aws_cli), world.url, region, world.home)
    status_read(backend, count)
    bgtui_s, cli_s, process_s = [], [], []
    # Side by side: each run times bgtui, the CLI script and `bgtui status` back to back.
    for _ in range(config.cli_runs):
        bgtui_s.append(status_read(backend, count))
        cli_s.append(_cli_read(cli, count))
        if config.status_process:
            process_s.append(_status_process(world, region, count))
    return _figures(count, bgtui_s, cli_s, process_s, cli)


def _cli_read(cli: AwsCli, count: int) -> float:
    seconds, states = timed(cli.status)
    if len(states) != count or any(len(s) != len(ALIASES) + 1 for s in states.values()):
        raise CliFailed(f"the CLI script read {len(states)} of {count} services")
    return seconds


def _status_process(world: BenchWorld, region: str, count: int) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [*world.console_command(region), "status", "--json"],
        env=bench_env(world.home),
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0 or len(json.loads(done.stdout)["services"]) != count:
        raise CliFailed(f"bgtui status failed: {done.stderr.strip()[-500:]}")
    return seconds


def _figures(
    count: int, bgtui_s: list[float], cli_s: list[float], process_s: list[float], cli: AwsCli
) -> list[Figure]:
    runs = len(cli_s)
    per_run = cli.processes // max(runs, 1)
    bgtui = figure("cli.bgtui", f"3. status read of {count}: bgtui (in-process)", bgtui_s, "s")
    script = figure(
        "cli.aws",
        f"3. status read of {count}: AWS CLI script",
        cli_s,
        "s",
        None,
        f"{per_run} aws processes",
    )
    ratio = figure(
        "cli.ratio",
        "3. AWS CLI script / bgtui (same run)",
        [c / b for c, b in zip(cli_s, bgtui_s, strict=True)],
        "x",
        at_least(5.0),
    )
    if not process_s:
        return [bgtui, script, ratio]
    process = figure(
        "cli.bgtui_status",
        f"3. status read of {count}: `bgtui status --json` process",
        process_s,
        "s",
        note="process start, imports and client creation included",
    )
    process_ratio = figure(
        "cli.ratio_process",
        "3. AWS CLI script / `bgtui status` process",
        [c / p for c, p in zip(cli_s, process_s, strict=True)],
        "x",
    )
    return [bgtui, script, ratio, process, process_ratio]
