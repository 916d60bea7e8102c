"""The Terraform adapter as the rest of bgtui sees it: a runner for the configured root."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bgtui.adapters.terraform_mirror import CliConfig, prepare_cli_config
from bgtui.adapters.terraform_process import TerraformRunner
from bgtui.config import Settings
from bgtui.errors import BadInput, TerraformError

__all__ = ["TerraformRunner", "make_runner", "plan_variables", "terraform_binary"]

_ENDPOINT_VARIABLE = re.compile(r'^\s*variable\s+"endpoint"\s*\{', re.MULTILINE)


def terraform_binary() -> str:
    found = shutil.which("terraform")
    if found is None:
        raise TerraformError("terraform is not installed (not found on PATH)")
    return found


def make_runner(
    settings: Settings, working_dir: str | Path | None = None, cli_config: CliConfig | None = None
) -> TerraformRunner:
    """A runner for `working_dir` (else `[terraform] dir`) with the AWS profile and region."""
    chosen = working_dir or settings.terraform_dir
    if not chosen:
        raise BadInput("no Terraform directory: set [terraform] dir or pass --dir")
    directory = Path(chosen).expanduser()
    if not directory.is_dir():
        raise BadInput(f"terraform directory {directory} does not exist")
    config = cli_config or prepare_cli_config(settings.provider_mirror)
    return TerraformRunner(directory, config, aws_environment(settings), terraform_binary())


def aws_environment(settings: Settings) -> dict[str, str]:
    """The caller's profile and region, as the AWS provider reads them."""
    env: dict[str, str] = {}
    if settings.profile:
        env["AWS_PROFILE"] = settings.profile
    if settings.region:
        env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = settings.region
    return env


def plan_variables(settings: Settings, working_dir: str | Path) -> dict[str, str]:
    """`endpoint` for a root that declares it (the emulator example) when bgtui has one."""
    if not settings.endpoint_url:
        return {}
    declared = any(
        _ENDPOINT_VARIABLE.search(path.read_text(encoding="utf-8", errors="replace"))
        for path in Path(working_dir).glob("*.tf")
    )
    return {"endpoint": settings.endpoint_url} if declared else {}
