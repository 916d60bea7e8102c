"""`make terraform-check`: fmt, init and validate of every root, and the modules' native tests."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bgtui.adapters.terraform import command
from bgtui.adapters.terraform.mirror import prepare_cli_config

STEP_TIMEOUT = 900
ROOT_GROUPS = ("modules", "examples")


@dataclass(frozen=True)
class Step:
    """One terraform command of the checks, run in one directory of the tree."""

    title: str
    argv: list[str]
    cwd: Path


@dataclass(frozen=True)
class Outcome:
    """How a step went."""

    step: Step
    ok: bool
    seconds: float
    output: str


def roots(tree: Path) -> list[Path]:
    """Every module and example directory holding Terraform files."""
    found = [d for group in ROOT_GROUPS for d in sorted((tree / group).glob("*")) if d.is_dir()]
    return [d for d in found if any(d.glob("*.tf"))]


def sequences(binary: str, tree: Path) -> list[list[Step]]:
    """Independent sequences of steps: the steps of one sequence run in order."""
    fmt = Step("fmt -check -recursive", command.fmt_check_command(binary, tree), tree)
    per_root = []
    for root in roots(tree):
        name = root.relative_to(tree)
        steps = [
            Step(f"init {name}", command.init_command(binary, backend=False), root),
            Step(f"validate {name}", command.validate_command(binary), root),
        ]
        if any(root.glob("tests/*.tftest.hcl")):
            steps.append(Step(f"test {name}", command.test_command(binary), root))
        per_root.append(steps)
    return [[fmt], *per_root]


def run_sequence(steps: Sequence[Step], env: dict[str, str]) -> list[Outcome]:
    """Run steps in order; the first failure skips the rest of its sequence."""
    outcomes: list[Outcome] = []
    for step in steps:
        outcomes.append(run_step(step, env))
        if not outcomes[-1].ok:
            break
    return outcomes


def run_step(step: Step, env: dict[str, str]) -> Outcome:
    started = time.monotonic()
    try:
        done = subprocess.run(
            step.argv,
            cwd=step.cwd,
            # One data directory per root, even when the caller's environment names one.
            env={**env, "TF_DATA_DIR": str(step.cwd / ".terraform")},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(step, False, time.monotonic() - started, f"timed out after {STEP_TIMEOUT}s")
    return Outcome(step, done.returncode == 0, time.monotonic() - started, done.stdout)


def report(outcomes: Iterable[Outcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        mark = "ok  " if outcome.ok else "FAIL"
        lines.append(f"{mark} {outcome.seconds:5.1f} s  terraform {outcome.step.title}")
        if not outcome.ok:
            lines.extend(f"       {line}" for line in outcome.output.rstrip().splitlines())
    return lines


def check_tree(binary: str, tree: Path, workers: int = 2) -> tuple[bool, list[str]]:
    """Run every check on a scratch copy of `tree`, so the source gets no lock or state files."""
    config = prepare_cli_config()
    env = {**os.environ, **config.env()}
    source = f"providers from {config.mirror}" if config.mirror else "providers from the registry"
    with tempfile.TemporaryDirectory(prefix="bgtui-terraform-check-") as scratch:
        copy = Path(scratch) / "terraform"
        shutil.copytree(tree, copy, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        planned = sequences(binary, copy)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda steps: run_sequence(steps, env), planned))
    outcomes = [outcome for result in results for outcome in result]
    ok = all(o.ok for o in outcomes) and len(outcomes) == sum(map(len, planned))
    return ok, [f"terraform checks of {tree} ({source})", *report(outcomes)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/terraform_checks.py")
    parser.add_argument("--tree", type=Path, default=Path("terraform"), help="Terraform tree")
    args = parser.parse_args(argv)
    binary = shutil.which("terraform")
    if binary is None:
        if os.environ.get("CI") == "true":
            print("FAIL terraform not found, and CI=true requires it")
            return 1
        print("skipped: terraform not found")
        return 0
    if not args.tree.is_dir():
        print(f"FAIL no Terraform tree at {args.tree}")
        return 2
    started = time.monotonic()
    ok, lines = check_tree(binary, args.tree)
    lines.append(
        f"{'ok' if ok else 'FAIL'}: terraform checks in {time.monotonic() - started:.1f} s"
    )
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
