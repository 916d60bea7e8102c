"""The Terraform module's operator and read-only policies as terraform renders them for given
services: `terraform test` on a scratch copy of the module with a mocked AWS provider whose
ids are the services', read back from the JSON state it reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bgtui.adapters.terraform.mirror import prepare_cli_config

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "terraform" / "modules" / "lambda-bluegreen"
TEST_FILE = "tests/bgtui_reliability_policies.tftest.hcl"


@dataclass(frozen=True)
class ServiceIds:
    """What the module's policies are scoped by."""

    function: str
    api_id: str
    region: str = "us-east-1"
    account: str = "123456789012"
    notify_topic_arn: str = ""
    """The module's notify_sns_topic_arn; empty leaves it null."""
    notify_key_arn: str = ""
    """The module's notify_kms_key_arn (the topic's key); empty leaves it null."""

    @property
    def function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{self.function}"

    def log_group_arn(self, name: str) -> str:
        return f"arn:aws:logs:{self.region}:{self.account}:log-group:{name}"


@dataclass(frozen=True)
class ServicePolicies:
    operator: dict[str, Any]
    read_only: dict[str, Any]
    guard: dict[str, Any]


def terraform_binary() -> str:
    """terraform; its absence skips these tests only off CI."""
    found = shutil.which("terraform")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("terraform is not on PATH, and CI=true requires it")
    pytest.skip("terraform is not on PATH (CI=true makes this a failure)")


def run_block(ids: ServiceIds, index: int) -> str:
    """One `run` rendering the module for one service, every computed id mocked to its own."""
    return f"""
run "service_{index}" {{
  state_key = "service_{index}"
  variables {{
    function_name = "{ids.function}"
    service_name  = "{ids.function}"
    environment   = "demo"
    zip_path      = "tests/fixtures/handler.zip"{_topic(ids)}
  }}
  override_resource {{
    target = aws_lambda_function.this
    values = {{ arn = "{ids.function_arn}", version = "1" }}
  }}
  override_resource {{
    target = aws_api_gateway_rest_api.this
    values = {{
      id               = "{ids.api_id}"
      root_resource_id = "root{index}"
      execution_arn    = "arn:aws:execute-api:{ids.region}:{ids.account}:{ids.api_id}"
    }}
  }}
  override_resource {{
    target = aws_cloudwatch_log_group.audit
    values = {{ arn = "{ids.log_group_arn(f"/bgtui/audit/{ids.function}")}" }}
  }}
  override_resource {{
    target = aws_cloudwatch_log_group.function
    values = {{ arn = "{ids.log_group_arn(f"/aws/lambda/{ids.function}")}" }}
  }}
  override_resource {{
    target = aws_iam_role.execution
    values = {{ arn = "arn:aws:iam::{ids.account}:role/{ids.function}-execution" }}
  }}
}}
"""


def _topic(ids: ServiceIds) -> str:
    found = ""
    if ids.notify_topic_arn:
        found += f'\n    notify_sns_topic_arn = "{ids.notify_topic_arn}"'
    if ids.notify_key_arn:
        found += f'\n    notify_kms_key_arn = "{ids.notify_key_arn}"'
    return found


def test_file(services: Sequence[ServiceIds]) -> str:
    first = services[0]
    provider = f"""
mock_provider "aws" {{
  mock_data "aws_partition" {{
    defaults = {{ partition = "aws" }}
  }}
  mock_data "aws_region" {{
    defaults = {{ name = "{first.region}", region = "{first.region}" }}
  }}
  mock_data "aws_caller_identity" {{
    defaults = {{ account_id = "{first.account}" }}
  }}
}}
"""
    return provider + "".join(run_block(ids, n) for n, ids in enumerate(services))


def render(services: Sequence[ServiceIds], workdir: Path) -> dict[str, ServicePolicies]:
    """The policies of each service, by function name."""
    module = workdir / "lambda-bluegreen"
    shutil.copytree(MODULE, module, ignore=shutil.ignore_patterns(".terraform*", "*.tftest.hcl"))
    (module / TEST_FILE).write_text(test_file(services), encoding="utf-8")
    config = prepare_cli_config(base_dir=workdir / "cli")
    env = {**os.environ, **config.env(), "CHECKPOINT_DISABLE": "1"}
    binary = terraform_binary()
    _terraform([binary, "init", "-backend=false", "-input=false", "-no-color"], module, env)
    lines = _terraform([binary, "test", "-json", "-verbose", f"-filter={TEST_FILE}"], module, env)
    outputs = {}
    for line in lines.splitlines():
        event = json.loads(line)
        if event.get("type") == "test_state":
            outputs[event["@testrun"]] = event["test_state"]["outputs"]
    rendered = {}
    for index, ids in enumerate(services):
        found = outputs[f"service_{index}"]
        rendered[ids.function] = ServicePolicies(
            json.loads(found["operator_policy_json"]["value"]),
            json.loads(found["read_only_policy_json"]["value"]),
            json.loads(found["guard_policy_json"]["value"]),
        )
    return rendered


def _terraform(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{' '.join(argv[1:3])} failed:\n{done.stdout[-3000:]}"
    return done.stdout
