"""`bgtui plan`: stream a terraform plan to the terminal line by line, then its summary."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from contextlib import aclosing
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from bgtui.app.settings import Settings
from bgtui.cli.options import settings_from
from bgtui.core.errors import EXIT_OK, BadInput
from bgtui.core.plain_text import printable
from bgtui.core.plan import PlanLevel, PlanLine, PlanSummary

if TYPE_CHECKING:
    from bgtui.adapters.terraform.process import TerraformRunner


def parse_vars(pairs: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise BadInput(f"--var takes NAME=VALUE, not {pair!r}")
        found[name.strip()] = value
    return found


@dataclass(frozen=True)
class PlanOptions:
    """What `bgtui plan` was asked for."""

    workspace: str = ""
    terraform_dir: str = ""
    """The root to plan; empty: `[terraform] dir`."""
    variables: tuple[str, ...] = ()
    """`--var NAME=VALUE` items, as typed."""


def plan(args: argparse.Namespace) -> int:
    options = PlanOptions(args.workspace or "", args.terraform_dir or "", tuple(args.var))
    return run_plan(options, settings_from(args))


def run_plan(options: PlanOptions, settings: Settings, out: TextIO | None = None) -> int:
    from bgtui.app.terraform import make_runner

    out = out or sys.stdout
    runner = make_runner(settings, options.terraform_dir or None)
    variables = parse_vars(options.variables)
    workspace = options.workspace or settings.terraform_workspace or None
    return asyncio.run(_stream(runner, workspace, variables, out))


async def _stream(
    runner: TerraformRunner, workspace: str | None, variables: dict[str, str], out: TextIO
) -> int:
    async with aclosing(runner.init()) as init_events:
        async for event in init_events:
            if isinstance(event, PlanLine) and event.level is not PlanLevel.INFO:
                _print_line(event, out)
    spaces = await runner.workspaces()
    chosen = workspace or spaces.current
    if workspace and workspace not in spaces.names:
        raise BadInput(f"no workspace {workspace!r}; workspaces: {', '.join(spaces.names)}")
    names = ", ".join(spaces.names)
    out.write(printable(f"# workspace {chosen} (of {names}) in {runner.working_dir}") + "\n")
    out.flush()
    summary: PlanSummary | None = None
    async with aclosing(runner.plan(workspace=workspace, var=variables)) as events:
        async for event in events:
            if isinstance(event, PlanSummary):
                summary = event
            else:
                _print_line(event, out)
    out.write(
        printable(f"# {summary.text if summary else 'plan finished without a summary'}") + "\n"
    )
    return EXIT_OK


def _print_line(line: PlanLine, out: TextIO) -> None:
    prefix = "" if line.level is PlanLevel.INFO else f"{line.level.value}: "
    # terraform runs with -no-color; anything escape-like left in a line is shown, not obeyed.
    out.write(f"{prefix}{printable(line.text)}\n")
    out.flush()
