"""The Terraform adapter's wiring from settings: directory, AWS environment, emulator endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.adapters import terraform
from bgtui.adapters.terraform_mirror import CliConfig
from bgtui.config import Settings
from bgtui.errors import BadInput, TerraformError
from tests.terraform.conftest import REPO

EMULATOR_EXAMPLE = REPO / "terraform" / "examples" / "emulator"


def test_profile_and_region_reach_terraform() -> None:
    env = terraform.aws_environment(Settings(profile="ops", region="eu-west-1"))
    assert env == {
        "AWS_PROFILE": "ops",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    assert terraform.aws_environment(Settings()) == {}


def test_the_emulator_endpoint_fills_a_declared_endpoint_variable(tmp_path: Path) -> None:
    settings = Settings(endpoint_url="http://127.0.0.1:5000")
    assert terraform.plan_variables(settings, EMULATOR_EXAMPLE) == {
        "endpoint": "http://127.0.0.1:5000"
    }
    assert terraform.plan_variables(settings, tmp_path) == {}
    assert terraform.plan_variables(Settings(), EMULATOR_EXAMPLE) == {}


def test_a_runner_needs_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terraform, "terraform_binary", lambda: "terraform")
    config = CliConfig(tmp_path / "cli.tfrc", None, None)
    with pytest.raises(BadInput, match="no Terraform directory"):
        terraform.make_runner(Settings(), cli_config=config)
    with pytest.raises(BadInput, match="does not exist"):
        terraform.make_runner(Settings(terraform_dir=str(tmp_path / "absent")), cli_config=config)
    runner = terraform.make_runner(Settings(terraform_dir=str(tmp_path)), cli_config=config)
    assert runner.working_dir == tmp_path


def test_missing_terraform_is_a_terraform_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(TerraformError, match="not found on PATH"):
        terraform.terraform_binary()
