"""Terraform command lines, built by python-terraform; the only module that imports it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from python_terraform import IsFlagged, Terraform

from bgtui.core.errors import BadInput

# python-terraform parses the state file when constructed; a name that never exists keeps
# building a command line free of any file access.
_NO_STATE = ".bgtui-no-state"
WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,89}$")
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _command(binary: str, subcommand: str, *args: str, **options: object) -> list[str]:
    builder = Terraform(working_dir=_NO_STATE, terraform_bin_path=binary, state=_NO_STATE)
    return [str(part) for part in builder.generate_cmd_string(subcommand, *args, **options)]


def init_command(binary: str, backend: bool = True, upgrade: bool = False) -> list[str]:
    return _command(
        binary,
        "init",
        input=False,
        no_color=IsFlagged,
        backend=None if backend else False,
        upgrade=IsFlagged if upgrade else None,
    )


def plan_command(
    binary: str,
    out: Path | None = None,
    variables: Mapping[str, str] | None = None,
    destroy: bool = False,
) -> list[str]:
    """`terraform plan -json`: one JSON message per line, ending with the change summary."""
    return _command(
        binary,
        "plan",
        json=IsFlagged,
        input=False,
        lock_timeout="0s",
        destroy=IsFlagged if destroy else None,
        out=str(out) if out else None,
        var=variable_options(variables or {}),
    )


def apply_command(binary: str, plan_file: Path) -> list[str]:
    """Apply a saved plan: terraform asks nothing, since the plan was reviewed."""
    return _command(binary, "apply", str(plan_file), json=IsFlagged, input=False)


def show_command(binary: str, plan_file: Path) -> list[str]:
    return _command(binary, "show", str(plan_file), no_color=IsFlagged)


def show_json_command(binary: str, plan_file: Path) -> list[str]:
    """The saved plan as one JSON document, prior state included."""
    return _command(binary, "show", str(plan_file), json=IsFlagged, no_color=IsFlagged)


def workspace_list_command(binary: str) -> list[str]:
    return _command(binary, "workspace list")


def workspace_select_command(binary: str, name: str, create: bool = False) -> list[str]:
    check_workspace_name(name)
    return _command(binary, "workspace select", name, or_create=IsFlagged if create else None)


def validate_command(binary: str) -> list[str]:
    return _command(binary, "validate", no_color=IsFlagged)


def fmt_check_command(binary: str, directory: Path) -> list[str]:
    return _command(binary, "fmt", str(directory), check=IsFlagged, recursive=IsFlagged)


def test_command(binary: str) -> list[str]:
    return _command(binary, "test", no_color=IsFlagged)


def variable_options(variables: Mapping[str, str]) -> list[str]:
    """`-var` values as NAME=VALUE; never a temporary var file left on disk."""
    for name in variables:
        if not VARIABLE_NAME.match(name):
            raise BadInput(f"{name!r} is not a terraform variable name")
    return [f"{name}={value}" for name, value in variables.items()]


def check_workspace_name(name: str) -> str:
    if not WORKSPACE_NAME.match(name):
        raise BadInput(f"{name!r} is not a terraform workspace name")
    return name
