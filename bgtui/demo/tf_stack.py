"""The demo stack built by Terraform: the emulator example applied, then the versions laid out.

Terraform creates the infrastructure of every demo service exactly as the module defines it;
the release history (further versions, where each alias points) is then set through the APIs,
as bgtui itself would have done. `bgtui.demo.stack` builds the same stack with boto3
only, and stays the fallback where terraform or the module's source tree is missing.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncGenerator, Callable, Sequence
from contextlib import aclosing
from pathlib import Path

from bgtui.adapters.terraform.mirror import CliConfig, prepare_cli_config
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.adapters.terraform.tree import EMULATOR_EXAMPLE, terraform_tree
from bgtui.core.errors import BgtuiError
from bgtui.core.models import LIVE_ALIAS, STAGE_VARIABLE, Colour
from bgtui.core.plan import PlanEvent
from bgtui.demo.code import BROKEN, demo_package
from bgtui.demo.stack import DEMO_SERVICES, DemoService, _layout
from bgtui.emulator.behaviour import Behaviour
from bgtui.emulator.clients import EmulatorClients

EXAMPLE = EMULATOR_EXAMPLE
VARIABLES_FILE = "demo.auto.tfvars.json"
PLAN_FILE = "demo.tfplan"
# The boto3 path's names, so both paths build the same stack.
HANDLER = "index.handler"
API_SUFFIX = "-api"

EventSink = Callable[[str, PlanEvent], None]


def provision_demo_with_terraform(
    endpoint_url: str,
    region: str,
    workdir: Path,
    services: Sequence[DemoService] = DEMO_SERVICES,
    cli_config: CliConfig | None = None,
    on_event: EventSink | None = None,
) -> list[str]:
    """Create the demo stack with terraform (state kept in `workdir`); return its functions.

    Runs its own event loop: call it from synchronous code (or a thread), not from a coroutine.
    """
    root = prepare_root(workdir, endpoint_url, region, services)
    asyncio.run(apply_root(root, cli_config or prepare_cli_config(), on_event))
    clients = EmulatorClients(endpoint_url, region)
    for spec in services:
        lay_out_versions(clients, spec)
    return [spec.function for spec in services]


def prepare_root(
    workdir: Path, endpoint_url: str, region: str, services: Sequence[DemoService]
) -> Path:
    """A copy of the Terraform tree in `workdir`, with the demo's services and seed zips."""
    source = terraform_tree()
    if source is None or not (source / EXAMPLE).is_dir():
        raise BgtuiError("the Terraform module and examples are missing; provision with boto3")
    tree = workdir / "terraform"
    ignore = shutil.ignore_patterns(".terraform*", "*.tfstate*", "*.tfplan", "tests")
    shutil.copytree(source, tree, ignore=ignore, dirs_exist_ok=True)
    root = tree / EXAMPLE
    declared = {}
    for spec in services:
        seed = root / f"{spec.function}.zip"
        seed.write_bytes(demo_package(spec.function, 1, Behaviour()))
        declared[spec.function] = {
            "display_name": spec.display_name,
            "zip_path": seed.name,
            "handler": HANDLER,
            "api_name": f"{spec.function}{API_SUFFIX}",
        }
    variables = {"endpoint": endpoint_url, "region": region, "services": declared}
    (root / VARIABLES_FILE).write_text(json.dumps(variables, indent=2), encoding="utf-8")
    return root


async def apply_root(root: Path, cli_config: CliConfig, on_event: EventSink | None) -> None:
    """init, plan and apply; applying without a prompt is fine on the demo's own emulator."""
    runner = TerraformRunner(root, cli_config)
    await _follow("init", runner.init(), on_event)
    await _follow("plan", runner.plan(out=PLAN_FILE), on_event)
    await _follow("apply", runner.apply(PLAN_FILE, confirmed=True), on_event)


async def _follow(
    step: str, events: AsyncGenerator[PlanEvent, None], on_event: EventSink | None
) -> None:
    async with aclosing(events) as stream:
        async for event in stream:
            if on_event is not None:
                on_event(step, event)


def lay_out_versions(clients: EmulatorClients, spec: DemoService) -> None:
    """Publish the builds after version 1 and point the aliases and the test stage as the demo
    expects: blue live on a healthy version, green idle on a newer one (or a broken one)."""
    function, layout = (
        spec.function,
        _layout(spec.versions, spec.broken_candidate, spec.live_colour),
    )
    builds = [Behaviour()] * spec.versions + ([BROKEN] if spec.broken_candidate else [])
    for build, behaviour in enumerate(builds[1:], start=2):
        package = demo_package(function, build, behaviour)
        clients.lambda_.update_function_code(FunctionName=function, ZipFile=package, Publish=True)
    for colour in Colour:
        version = layout.blue if colour is Colour.BLUE else layout.green
        clients.lambda_.update_alias(
            FunctionName=function, Name=colour.value, FunctionVersion=version
        )
    clients.lambda_.update_alias(
        FunctionName=function,
        Name=LIVE_ALIAS,
        FunctionVersion=layout.live,
        Description=layout.record.to_description(),
    )
    _point_test_stage(clients, function, layout.live_colour.other)


def _point_test_stage(clients: EmulatorClients, function: str, idle: Colour) -> None:
    tags = clients.lambda_.list_tags(Resource=_function_arn(clients, function))["Tags"]
    clients.apigateway.update_stage(
        restApiId=tags["bluegreen:api-id"],
        stageName=tags["bluegreen:test-stage"],
        patchOperations=[
            {"op": "replace", "path": f"/variables/{STAGE_VARIABLE}", "value": idle.value}
        ],
    )


def _function_arn(clients: EmulatorClients, function: str) -> str:
    return str(clients.lambda_.get_function(FunctionName=function)["Configuration"]["FunctionArn"])
