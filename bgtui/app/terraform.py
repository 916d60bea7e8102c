"""Terraform as bgtui runs it: the configured root, as the operator bgtui itself acts as."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bgtui.adapters.aws.session import resolve_endpoint
from bgtui.adapters.terraform.mirror import CliConfig, prepare_cli_config
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.app.settings import Settings
from bgtui.core.errors import BadInput, TerraformError

__all__ = [
    "TerraformEnvironment",
    "TerraformRunner",
    "make_runner",
    "terraform_binary",
    "terraform_environment",
]

# boto3 ignores these once a profile is named; the AWS provider would let them win over it.
STATIC_CREDENTIALS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_PROFILE",
)
ROOT_VARIABLES = ("endpoint", "region")


@dataclass(frozen=True)
class TerraformEnvironment:
    """What every terraform run of one root is handed: its process environment and variables."""

    directory: Path
    env: dict[str, str]
    """The whole environment of the process, not an overlay."""
    variables: dict[str, str]
    """`-var` values for the root variables bgtui fills in (`endpoint`, `region`)."""


def terraform_environment(
    settings: Settings,
    directory: str | Path,
    cli_config: CliConfig,
    base: Mapping[str, str] = os.environ,
) -> TerraformEnvironment:
    """The account, region and endpoint bgtui itself uses, as terraform and its root read them.

    The CLI (`bgtui plan`), the console's Terraform view and the acceptance run all start
    terraform with this, so a plan always runs as the operator who started bgtui.
    """
    env = dict(base)
    if settings.profile:
        for name in STATIC_CREDENTIALS:
            env.pop(name, None)
        env["AWS_PROFILE"] = settings.profile
    if settings.region:
        env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = settings.region
    endpoint = resolve_endpoint(settings.endpoint_url, base)
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint
    env.update(cli_config.env())
    # The region bgtui itself would use before asking the profile (see session.resolve_region).
    region = settings.region or base.get("AWS_REGION") or base.get("AWS_DEFAULT_REGION") or ""
    known = {"endpoint": endpoint or "", "region": region}
    declared = declared_variables(Path(directory))
    variables = {name: known[name] for name in ROOT_VARIABLES if known[name] and name in declared}
    return TerraformEnvironment(Path(directory), env, variables)


def declared_variables(directory: Path) -> set[str]:
    """The names of the variables a root declares (only the ones bgtui may fill in)."""
    text = "\n".join(
        path.read_text(encoding="utf-8", errors="replace") for path in directory.glob("*.tf")
    )
    return {
        name
        for name in ROOT_VARIABLES
        if re.search(rf'^\s*variable\s+"{name}"\s*\{{', text, re.MULTILINE)
    }


def terraform_binary() -> str:
    found = shutil.which("terraform")
    if found is None:
        raise TerraformError("terraform is not installed (not found on PATH)")
    return found


def make_runner(
    settings: Settings,
    working_dir: str | Path | None = None,
    cli_config: CliConfig | None = None,
    base: Mapping[str, str] = os.environ,
) -> TerraformRunner:
    """A runner for `working_dir` (else `[terraform] dir`) as the operator bgtui acts as."""
    chosen = working_dir or settings.terraform_dir
    if not chosen:
        raise BadInput("no Terraform directory: set [terraform] dir or pass --dir")
    directory = Path(chosen).expanduser()
    if not directory.is_dir():
        raise BadInput(f"terraform directory {directory} does not exist")
    config = cli_config or prepare_cli_config(settings.provider_mirror)
    run = terraform_environment(settings, directory, config, base)
    binary = terraform_binary()
    return TerraformRunner(
        directory, config, base_env=run.env, variables=run.variables, binary=binary
    )
