"""The demo's own Terraform root: the example declaring the demo's services, importing them.

The demo creates its stack through the APIs in a second; this root then brings those very
services under Terraform (`import` blocks for what exists, the module adds the rest), so the
console's Terraform view plans and applies the services on screen. Everything Terraform writes
(state, plan, `.terraform`) stays in the demo's own directory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from bgtui.core.models import LIVE_ALIAS, Colour
from bgtui.demo.stack import DemoService, alarm_definitions, audit_log_group
from bgtui.demo.tf_stack import prepare_root
from bgtui.emulator.clients import EmulatorClients

IMPORTS_FILE = "imports.tf"
ALIASES = (Colour.BLUE.value, Colour.GREEN.value, LIVE_ALIAS)
STAGES = ("prod", "test")


def prepare_demo_root(
    workdir: Path, endpoint_url: str, region: str, services: Sequence[DemoService]
) -> Path:
    """A root in `workdir` that declares `services` and imports what the demo created of them."""
    root = prepare_root(workdir, endpoint_url, region, services)
    clients = EmulatorClients(endpoint_url, region)
    blocks = [block for spec in services for block in import_blocks(clients, spec.function)]
    (root / IMPORTS_FILE).write_text("\n".join(blocks), encoding="utf-8")
    return root


def import_blocks(clients: EmulatorClients, function: str) -> list[str]:
    """One `import` block per resource of `function`'s service that exists already."""
    existing = _existing(clients, function)
    return [_block(function, address, identity) for address, identity in existing]


def _existing(clients: EmulatorClients, function: str) -> Iterator[tuple[str, str]]:
    yield "aws_lambda_function.this", function
    for alias in ALIASES:
        yield f'aws_lambda_alias.this["{alias}"]', f"{function}/{alias}"
    api_id = _api_id(clients, function)
    yield "aws_api_gateway_rest_api.this", api_id
    resources = {
        item["path"]: item["id"]
        for item in clients.apigateway.get_resources(restApiId=api_id)["items"]
    }
    proxy = resources["/{proxy+}"]
    yield "aws_api_gateway_resource.proxy", f"{api_id}/{proxy}"
    for key, resource in (("root", resources["/"]), ("proxy", proxy)):
        yield f'aws_api_gateway_method.any["{key}"]', f"{api_id}/{resource}/ANY"
        yield f'aws_api_gateway_integration.alias["{key}"]', f"{api_id}/{resource}/ANY"
    for stage in STAGES:
        yield f"aws_api_gateway_stage.{stage}", f"{api_id}/{stage}"
    prefix = f"{function}-"
    for definition in alarm_definitions(function):
        key = definition["AlarmName"].removeprefix(prefix)
        yield f'aws_cloudwatch_metric_alarm.this["{key}"]', definition["AlarmName"]
    yield "aws_cloudwatch_log_group.audit", audit_log_group(function)
    yield "aws_cloudwatch_log_group.function", f"/aws/lambda/{function}"


def _api_id(clients: EmulatorClients, function: str) -> str:
    arn = clients.lambda_.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    return str(clients.lambda_.list_tags(Resource=arn)["Tags"]["bluegreen:api-id"])


def _block(function: str, address: str, identity: str) -> str:
    return f'import {{\n  to = module.service["{function}"].{address}\n  id = "{identity}"\n}}\n'
