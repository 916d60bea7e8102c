"""After `bgtui adopt`, the Terraform it prints (import blocks and the module call) hands the plain
stack to the lambda-bluegreen module: real terraform imports and applies it against the emulator,
a plan after that has nothing to do, and bgtui still sees the service as adopt left it.

Import identities are those the AWS provider documents for each resource (`FN:ALIAS/SID` for a
qualified aws_lambda_permission, `API/RESOURCE/METHOD` for methods and integrations).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bgtui.adapters.terraform.mirror import CliConfig
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.cli.adopt import IMPORTS_FILE, MODULE_FILE
from bgtui.cli.main import main
from bgtui.demo.code import demo_package
from bgtui.emulator.clients import EmulatorClients
from tests.adopt.plain_stack import OWNERS_NOTE, make_plain_stack
from tests.terraform.conftest import REPO, drain
from tests.terraform.test_demo_root import summary

pytestmark = pytest.mark.terraform
REGION = "us-east-1"
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


def test_the_printed_imports_and_module_call_take_the_adopted_stack_over(
    clean_emulator: str,
    cli_config: CliConfig,
    terraform_binary: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    clients = EmulatorClients(clean_emulator, REGION)
    make_plain_stack(clients)
    # Lambda makes the function's log group at its first invocation: the module imports it.
    clients.logs.create_log_group(logGroupName="/aws/lambda/orders")
    root = tmp_path / "root"
    common = ["--endpoint-url", clean_emulator, "--region", REGION]
    adopted = main([*common, "adopt", "orders", "--reason", "CHG-1", "--yes"])
    assert adopted == 0
    code = main(
        [*common, "adopt", "orders", "--reason", "CHG-1", "--yes", "--terraform-out", str(root)]
    )
    assert code == 0
    assert (root / IMPORTS_FILE).is_file() and (root / MODULE_FILE).is_file()
    shutil.copytree(
        REPO / "terraform" / "modules",
        root / "modules",
        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "tests"),
    )
    (root / "provider.tf").write_text(PROVIDER % {"region": REGION, "url": clean_emulator})
    (root / "function.zip").write_bytes(demo_package("orders", 1))

    runner = TerraformRunner(root, cli_config, binary=terraform_binary)
    asyncio.run(drain(runner.init()))
    planned = summary(asyncio.run(drain(runner.plan(out="adopt.tfplan"))))
    assert planned.startswith("Plan: 13 to import"), planned
    assert "0 to destroy" in planned
    applied = summary(asyncio.run(drain(runner.apply("adopt.tfplan", confirmed=True))))
    assert applied.startswith("Apply complete"), applied
    again = summary(asyncio.run(drain(runner.plan())))
    assert "No changes" in again, again

    aliases = {
        a["Name"]: (a["FunctionVersion"], a.get("Description", ""))
        for a in clients.lambda_.list_aliases(FunctionName="orders")["Aliases"]
    }
    assert aliases["prod"] == ("1", OWNERS_NOTE) and aliases["test"] == ("2", "")
    assert aliases["live"][0] == aliases["blue"][0] == "1"
    code = main([*common, "status", "orders", "--json"])
    assert code == 0
