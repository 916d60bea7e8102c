"""The AWS CLI and the profilers, in their own virtualenv: the AWS CLI pins botocore exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.bench.environment import REPO

BENCH_VENV = REPO / ".venv-bench"
BENCH_TOOLS = ("awscli", "py-spy", "pyinstrument")


def bench_tool(name: str, venv: Path = BENCH_VENV) -> Path:
    return venv / "bin" / name


def ensure_bench_venv(venv: Path = BENCH_VENV) -> Path:
    """Create `.venv-bench` with the AWS CLI, py-spy and pyinstrument unless it has them."""
    if all(bench_tool(tool, venv).exists() for tool in ("aws", "py-spy", "pyinstrument")):
        return venv
    if not bench_tool("python", venv).exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(bench_tool("python", venv)), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *BENCH_TOOLS], check=True)
    return venv


def aws_command(real: bool = True, venv: Path = BENCH_VENV) -> list[str]:
    """The AWS CLI of `.venv-bench` (`real` and present), else the stand-in: the same calls,
    one process each, with a quicker start."""
    aws = bench_tool("aws", venv)
    if real and aws.exists():
        return [str(aws)]
    return [sys.executable, "-m", "tests.bench.aws_standin"]
