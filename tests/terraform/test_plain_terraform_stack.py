"""A stack made by plain Terraform (tests/adopt/plain_terraform: only the AWS provider, no module,
no tags; aliases prod and test; stages that pick the alias by the stage variable `alias`) is
applied by real terraform against the emulator, then operated by bgtui in the two-alias layout
(deploy → test → promote → rollback), then adopted into the blue/green model and handed to the
lambda-bluegreen module by the import blocks `bgtui adopt` prints: a plan after that has nothing
to do, every operation works and the old aliases and their permissions stay as they were.

The integration URI is the form API Gateway documents for a Lambda proxy integration
(`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`, with a
stage variable standing for the qualifier). Import identities are those the AWS provider
documents for each resource (`FN:ALIAS/SID` for a qualified aws_lambda_permission,
`API/RESOURCE/METHOD` for methods and integrations). Terraform publishes one version per build
it applies, so the second version comes from `bgtui deploy --zip`; one apply per root, since
terraform with the AWS provider takes tens of seconds a run on a small host.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bgtui.adapters.terraform.mirror import CliConfig
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.cli.adopt import IMPORTS_FILE, MODULE_FILE
from bgtui.cli.main import main
from bgtui.demo.code import demo_package
from bgtui.emulator.clients import EmulatorClients
from tests.terraform.conftest import REPO, drain
from tests.terraform.test_demo_root import summary

pytestmark = pytest.mark.terraform
REGION = "us-east-1"
FUNCTION = "orders"
PLAIN_ROOT = REPO / "tests" / "adopt" / "plain_terraform"
PROVIDER = """
provider "aws" {
  region                      = "%(region)s"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    apigateway               = "%(url)s"
    cloudwatch               = "%(url)s"
    iam                      = "%(url)s"
    kms                      = "%(url)s"
    lambda                   = "%(url)s"
    logs                     = "%(url)s"
    resourcegroupstaggingapi = "%(url)s"
    sts                      = "%(url)s"
  }
}
"""

Cli = Callable[..., tuple[int, str, str]]


def test_a_plain_terraform_stack_runs_in_two_alias_layout_then_is_adopted_and_taken_over(
    clean_emulator: str,
    cli_config: CliConfig,
    terraform_binary: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    builds = {n: _zip(tmp_path / f"build{n}.zip", n) for n in (1, 2, 3)}

    def cli(*args: str) -> tuple[int, str, str]:
        code = main(["--endpoint-url", clean_emulator, "--region", REGION, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    plain = _root(tmp_path / "plain", PLAIN_ROOT, clean_emulator)
    asyncio.run(drain(TerraformRunner(plain, cli_config, binary=terraform_binary).init()))
    applied = _apply(plain, cli_config, terraform_binary, zip_path=str(builds[1]))
    assert "Apply complete! Resources: 14 added, 0 changed, 0 destroyed." in applied, applied
    assert _aliases(clean_emulator) == {"prod": ("1", ""), "test": ("1", "")}
    api_id = _api_id(clean_emulator)
    assert _stage_variables(clean_emulator, api_id) == {
        "prod": {"alias": "prod"},
        "test": {"alias": "test"},
    }
    assert "${stageVariables.alias}/invocations" in _integration_uri(clean_emulator, api_id)
    assert _permission_sids(clean_emulator) == {
        "prod": ["apigateway-prod"],
        "test": ["apigateway-test"],
    }
    functions = EmulatorClients(clean_emulator, REGION).lambda_
    assert not functions.get_function(FunctionName=FUNCTION).get("Tags")

    _two_alias_layout(cli, tmp_path, api_id, clean_emulator, builds[2])
    # As make_plain_stack leaves it: production on v1, the test alias on v2, no tags.
    _adopt_and_take_over(cli, clean_emulator, tmp_path, cli_config, terraform_binary, builds[3])


def _two_alias_layout(cli: Cli, tmp_path: Path, api_id: str, url: str, build: Path) -> None:
    config = tmp_path / "two-alias.toml"
    config.write_text(
        f'[[service]]\nfunction = "{FUNCTION}"\napi_id = "{api_id}"\n'
        'live_alias = "prod"\ncandidate_alias = "test"\nstage_variable = "alias"\n'
    )
    mapped = ("--config", str(config))
    code, out, err = cli(*mapped, "status", FUNCTION, "--json")
    assert code == 0, err
    status = json.loads(out)["services"][0]
    assert status["live"]["version"] == "1" and status["problems"] == []
    assert status["stages"] == {"prod": "prod", "test": "test"}

    code, out, err = cli(
        *mapped, "deploy", FUNCTION, "--zip", str(build), "--reason", "C-1", "--yes"
    )
    assert code == 0, out + err
    assert _versions(url) == {"prod": "1", "test": "2"}
    code, out, err = cli(*mapped, "test", FUNCTION)
    assert code == 0, out + err
    assert "v2" in out
    code, out, err = cli(*mapped, "promote", FUNCTION, "--reason", "C-2", "--yes")
    assert code == 0, out + err
    assert "prod now runs v2 (was v1)" in out
    assert _versions(url) == {"prod": "2", "test": "2"}
    code, out, err = cli(*mapped, "rollback", FUNCTION, "--reason", "C-3", "--yes")
    assert code == 0, out + err
    assert "rolled back, prod now runs v1 (was v2)" in out
    assert _versions(url) == {"prod": "1", "test": "2"}


def _adopt_and_take_over(
    cli: Cli, url: str, tmp_path: Path, cli_config: CliConfig, terraform_binary: str, build: Path
) -> None:
    before = _aliases(url)
    permissions = _permission_sids(url)
    takeover = tmp_path / "takeover"
    code, out, err = cli(
        "adopt", FUNCTION, "--reason", "C-4", "--yes", "--terraform-out", str(takeover)
    )
    assert code == 0, out + err
    assert (takeover / IMPORTS_FILE).is_file() and (takeover / MODULE_FILE).is_file()
    aliases = _aliases(url)
    assert {name: aliases[name] for name in before} == before
    assert aliases["live"][0] == aliases["blue"][0] == aliases["green"][0] == "1"

    shutil.copytree(
        REPO / "terraform" / "modules",
        takeover / "modules",
        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "tests"),
    )
    (takeover / "provider.tf").write_text(PROVIDER % {"region": REGION, "url": url})
    _zip(takeover / "function.zip", 1)
    runner = TerraformRunner(takeover, cli_config, binary=terraform_binary)
    asyncio.run(drain(runner.init()))
    applied = _apply(takeover, cli_config, terraform_binary)
    assert "Apply complete! Resources: 13 imported," in applied, applied
    assert applied.rstrip().endswith(" 0 destroyed."), applied
    again = summary(asyncio.run(drain(runner.plan())))
    assert "No changes" in again, again
    assert {name: _aliases(url)[name] for name in before} == before
    assert _permission_sids(url) == permissions

    code, out, err = cli("status", FUNCTION, "--json")
    assert code == 0, err
    status = json.loads(out)["services"][0]
    assert (status["live"]["colour"], status["live"]["version"]) == ("blue", "1")
    assert status["stages"] == {"prod": "live", "test": "green"}
    code, out, err = cli("deploy", FUNCTION, "--zip", str(build), "--reason", "C-5", "--yes")
    assert code == 0, out + err
    code, out, err = cli("test", FUNCTION)
    assert code == 0, out + err
    code, out, err = cli("promote", FUNCTION, "--reason", "C-6", "--yes")
    assert code == 0, out + err
    assert _aliases(url)["live"][0] == "3"
    code, out, err = cli("rollback", FUNCTION, "--reason", "C-7", "--yes")
    assert code == 0, out + err
    assert _aliases(url)["live"][0] == "1"
    assert {name: _aliases(url)[name] for name in before} == before


def _root(directory: Path, source: Path, url: str) -> Path:
    shutil.copytree(source, directory, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    (directory / "provider.tf").write_text(PROVIDER % {"region": REGION, "url": url})
    return directory


def _apply(root: Path, cli_config: CliConfig, binary: str, **variables: str) -> str:
    """The team's own `terraform apply -auto-approve`: one run instead of a plan and an apply."""
    argv = [binary, "apply", "-auto-approve", "-input=false", "-no-color"]
    argv += [f"-var={name}={value}" for name, value in variables.items()]
    env = {**os.environ, **cli_config.env()}
    done = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _zip(path: Path, build: int) -> Path:
    path.write_bytes(demo_package(FUNCTION, build))
    return path


def _aliases(url: str) -> dict[str, tuple[str, str]]:
    listed = EmulatorClients(url, REGION).lambda_.list_aliases(FunctionName=FUNCTION)["Aliases"]
    return {a["Name"]: (a["FunctionVersion"], a.get("Description", "")) for a in listed}


def _versions(url: str) -> dict[str, str]:
    return {name: pair[0] for name, pair in _aliases(url).items()}


def _api_id(url: str) -> str:
    apis = EmulatorClients(url, REGION).apigateway.get_rest_apis()["items"]
    return str(next(api["id"] for api in apis if api["name"] == f"{FUNCTION}-api"))


def _integration_uri(url: str, api_id: str) -> str:
    api = EmulatorClients(url, REGION).apigateway
    root = api.get_resources(restApiId=api_id)["items"][0]["id"]
    return str(api.get_integration(restApiId=api_id, resourceId=root, httpMethod="ANY")["uri"])


def _permission_sids(url: str) -> dict[str, list[str]]:
    """Statement ids granting each alias; the emulator answers every qualifier with the function's
    whole policy, so statements are told apart by the alias ARN they name."""
    functions = EmulatorClients(url, REGION).lambda_
    sids = {}
    for alias in ("prod", "test"):
        policy = json.loads(functions.get_policy(FunctionName=FUNCTION, Qualifier=alias)["Policy"])
        statements = policy["Statement"]
        sids[alias] = sorted(s["Sid"] for s in statements if s["Resource"].endswith(f":{alias}"))
    return sids


def _stage_variables(url: str, api_id: str) -> dict[str, dict[str, str]]:
    items = EmulatorClients(url, REGION).apigateway.get_stages(restApiId=api_id)["item"]
    return {s["stageName"]: s.get("variables", {}) for s in items}
