"""`bgtui adopt`: show the plan of bringing a function into the model, confirm, run it."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bgtui.app.adoption import Adoption, Surveyed, adoption_for
from bgtui.cli.arguments import IMPORTS_FILE, MODULE_FILE
from bgtui.cli.options import service_for
from bgtui.core.adopt_terraform import import_blocks, module_call
from bgtui.core.adopting import AdoptOptions
from bgtui.core.errors import EXIT_OK, Refused
from bgtui.core.plain_text import printable


def adopt(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    adoption = _adoption(args)
    surveyed = adoption.prepare(args.function, args.api_id)
    out.write(plan_text(surveyed))
    if args.dry_run:
        return EXIT_OK
    if not surveyed.plan.complete:
        typed = _confirmation(surveyed, args.yes)
        final = adoption.execute(surveyed, args.reason, typed)
        out.write(
            f"adopted {printable(final.function)}: blue, green and live at "
            f"v{final.production_version}; aliases kept: {printable(final.production_alias)}\n"
        )
        surveyed = adoption.prepare(args.function, surveyed.survey.api_id)
    _terraform(surveyed, args, out)
    return EXIT_OK


def _adoption(args: argparse.Namespace) -> Adoption:
    options = AdoptOptions(args.prod_stage, args.test_stage, args.environment)
    return adoption_for(service_for(args), options)


def plan_text(surveyed: Surveyed) -> str:
    plan = surveyed.plan
    lines = [
        f"adopt {plan.function} (REST API {plan.api_id}): production serves "
        f"{plan.production_alias} at v{plan.production_version}",
        *plan.lines(),
        *(f"note: {n}" for n in plan.notes),
    ]
    if plan.complete:
        lines.append("every step is done: nothing to change")
    return "\n".join(printable(line) for line in lines) + "\n"


def _confirmation(surveyed: Surveyed, assume_yes: bool) -> str:
    function = surveyed.plan.function
    if assume_yes:
        return function
    if not sys.stdin.isatty():
        raise Refused("adopt needs confirmation and there is no terminal: pass --yes to confirm")
    try:
        return input(f"Type {printable(repr(function))} to adopt it (anything else cancels): ")
    except EOFError:
        return ""


def _terraform(surveyed: Surveyed, args: argparse.Namespace, out: TextIO) -> None:
    options = AdoptOptions(args.prod_stage, args.test_stage, args.environment)
    imports = import_blocks(surveyed.survey, options)
    module = module_call(surveyed.survey, options, args.zip_path)
    out.write("\n# Terraform: the module takes the service over with these blocks\n")
    out.write(printable(module, lines=True) + "\n" + printable(imports, lines=True))
    if args.terraform_out is not None:
        args.terraform_out.mkdir(parents=True, exist_ok=True)
        (args.terraform_out / MODULE_FILE).write_text(module, encoding="utf-8")
        (args.terraform_out / IMPORTS_FILE).write_text(imports, encoding="utf-8")
