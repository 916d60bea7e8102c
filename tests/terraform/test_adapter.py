"""The Terraform adapter's wiring from settings: directory, AWS environment, root variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.adapters.terraform.mirror import CliConfig
from bgtui.app import terraform
from bgtui.app.settings import Settings
from bgtui.core.errors import BadInput, TerraformError
from tests.terraform.conftest import REPO

EMULATOR_EXAMPLE = REPO / "terraform" / "examples" / "emulator"


CONFIG = CliConfig(Path("/cache/bgtui/terraform/terraform.tfrc"), None, None)
SHELL = {
    "PATH": "/usr/bin",
    "AWS_ACCESS_KEY_ID": "AKIASHELLKEY",
    "AWS_SECRET_ACCESS_KEY": "shell-secret",
    "AWS_SESSION_TOKEN": "shell-token",
    "AWS_PROFILE": "shell-profile",
    "AWS_REGION": "us-west-2",
}


def test_profile_and_region_reach_terraform(tmp_path: Path) -> None:
    settings = Settings(profile="ops", region="eu-west-1")
    env = terraform.terraform_environment(settings, tmp_path, CONFIG, SHELL).env
    assert env["AWS_PROFILE"] == "ops"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["TF_CLI_CONFIG_FILE"] == str(CONFIG.path)
    assert env["TF_IN_AUTOMATION"] == "1" and env["TF_INPUT"] == "0"
    assert env["PATH"] == "/usr/bin"


def test_a_named_profile_drops_the_shells_static_keys(tmp_path: Path) -> None:
    """The AWS provider prefers AWS_ACCESS_KEY_ID to AWS_PROFILE ("Authentication and
    Configuration" in the provider's documentation: environment variables before shared
    files); boto3 drops them once a profile is named (botocore/credentials.py). Left in
    place, terraform would act as the shell's keys while bgtui acts as the profile."""
    env = terraform.terraform_environment(Settings(profile="ops"), tmp_path, CONFIG, SHELL).env
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(env)
    unnamed = terraform.terraform_environment(Settings(), tmp_path, CONFIG, SHELL).env
    assert unnamed["AWS_ACCESS_KEY_ID"] == "AKIASHELLKEY", "without --profile bgtui uses them too"
    assert unnamed["AWS_PROFILE"] == "shell-profile" and unnamed["AWS_REGION"] == "us-west-2"


def test_the_endpoint_reaches_the_provider_and_a_declared_variable(tmp_path: Path) -> None:
    """AWS_ENDPOINT_URL sets every endpoint of the AWS provider (its "Custom Service Endpoint
    Configuration" guide); the emulator example takes it as `var.endpoint` too."""
    settings = Settings(endpoint_url="http://127.0.0.1:5000", region="us-east-1")
    run = terraform.terraform_environment(settings, EMULATOR_EXAMPLE, CONFIG, SHELL)
    assert run.env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5000"
    assert run.variables == {"endpoint": "http://127.0.0.1:5000", "region": "us-east-1"}
    assert terraform.terraform_environment(settings, tmp_path, CONFIG, SHELL).variables == {}
    nothing = {"PATH": "/usr/bin"}
    assert (
        terraform.terraform_environment(Settings(), EMULATOR_EXAMPLE, CONFIG, nothing).variables
        == {}
    )


def test_the_shells_endpoint_and_region_count_as_bgtuis() -> None:
    """As bgtui resolves them (session.resolve_region, resolve_endpoint): AWS_REGION, then
    AWS_DEFAULT_REGION; AWS_ENDPOINT_URL unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS."""
    shell = {"PATH": "/usr/bin", "AWS_ENDPOINT_URL": "http://127.0.0.1:4599"}
    run = terraform.terraform_environment(Settings(), EMULATOR_EXAMPLE, CONFIG, shell)
    assert run.variables == {"endpoint": "http://127.0.0.1:4599"}
    ignored = {**shell, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}
    assert (
        terraform.terraform_environment(Settings(), EMULATOR_EXAMPLE, CONFIG, ignored).variables
        == {}
    )
    regional = terraform.terraform_environment(Settings(), EMULATOR_EXAMPLE, CONFIG, SHELL)
    assert regional.variables == {"region": "us-west-2"}
    default = {"PATH": "/usr/bin", "AWS_DEFAULT_REGION": "ap-southeast-2"}
    chosen = terraform.terraform_environment(Settings(), EMULATOR_EXAMPLE, CONFIG, default)
    assert chosen.variables == {"region": "ap-southeast-2"}


def test_a_runner_needs_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terraform, "terraform_binary", lambda: "terraform")
    config = CliConfig(tmp_path / "cli.tfrc", None, None)
    with pytest.raises(BadInput, match="no Terraform directory"):
        terraform.make_runner(Settings(), cli_config=config)
    with pytest.raises(BadInput, match="does not exist"):
        terraform.make_runner(Settings(terraform_dir=str(tmp_path / "absent")), cli_config=config)
    runner = terraform.make_runner(Settings(terraform_dir=str(tmp_path)), cli_config=config)
    assert runner.working_dir == tmp_path
    assert runner.environment["TF_CLI_CONFIG_FILE"] == str(config.path)


def test_missing_terraform_is_a_terraform_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(TerraformError, match="not found on PATH"):
        terraform.terraform_binary()
