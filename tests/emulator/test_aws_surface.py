"""The rest of the AWS surface bgtui uses behaves as AWS does through the emulator."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bgtui.demo.code import BROKEN, demo_package
from bgtui.demo.stack import ProvisionedService, provision_service
from bgtui.emulator.behaviour import Behaviour
from bgtui.emulator.clients import EmulatorClients


@pytest.fixture
def service(clean_emulator: str) -> ProvisionedService:
    return provision_service(clean_emulator, "orders", versions=2)


@pytest.fixture
def clients(clean_emulator: str, service: ProvisionedService) -> EmulatorClients:
    return EmulatorClients(clean_emulator)


def test_publishing_new_code_makes_a_new_version_with_its_sha(clients: EmulatorClients) -> None:
    lambda_ = clients.lambda_
    updated = lambda_.update_function_code(
        FunctionName="orders", ZipFile=demo_package("orders", 9, BROKEN)
    )
    published = lambda_.publish_version(FunctionName="orders", Description="release 9")
    assert published["Version"] == "3" and published["CodeSha256"] == updated["CodeSha256"]
    assert published["Description"] == "release 9"
    versions = lambda_.list_versions_by_function(FunctionName="orders")["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1", "2", "3"]
    answer = lambda_.invoke(FunctionName="orders", Qualifier="3", Payload=b"{}")
    assert answer["FunctionError"] == "Unhandled"


def test_publishing_unchanged_code_returns_the_latest_version(clients: EmulatorClients) -> None:
    lambda_ = clients.lambda_
    assert lambda_.publish_version(FunctionName="orders")["Version"] == "2"
    same_code = demo_package("orders", 2, Behaviour())
    lambda_.update_function_code(FunctionName="orders", ZipFile=same_code)
    assert lambda_.publish_version(FunctionName="orders")["Version"] == "2"


def test_tags_can_be_added_and_read(clients: EmulatorClients) -> None:
    arn = clients.lambda_.get_function(FunctionName="orders")["Configuration"]["FunctionArn"]
    clients.lambda_.tag_resource(Resource=arn, Tags={"team": "payments"})
    tags = clients.lambda_.list_tags(Resource=arn)["Tags"]
    assert tags["team"] == "payments" and tags["bluegreen:managed"] == "true"


def test_discovery_filters_on_the_managed_tag(
    clean_emulator: str, clients: EmulatorClients
) -> None:
    clients.lambda_.create_function(
        FunctionName="unmanaged",
        Runtime="python3.12",
        Role=clients.iam.get_role(RoleName="bgtui-demo-lambda")["Role"]["Arn"],
        Handler="index.handler",
        Code={"ZipFile": demo_package("unmanaged", 1)},
    )
    found = clients.tagging.get_resources(
        ResourceTypeFilters=["lambda:function"],
        TagFilters=[{"Key": "bluegreen:managed", "Values": ["true"]}],
    )["ResourceTagMappingList"]
    assert [item["ResourceARN"].split(":")[-1] for item in found] == ["orders"]


def test_the_test_stage_variable_is_replaced_in_place(
    clients: EmulatorClients, service: ProvisionedService
) -> None:
    gateway = clients.apigateway
    updated = gateway.update_stage(
        restApiId=service.api_id,
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": "blue"}],
    )
    assert updated["variables"] == {"lambdaAlias": "blue"}
    stages = {
        s["stageName"]: s["variables"] for s in gateway.get_stages(restApiId=service.api_id)["item"]
    }
    assert stages == {"prod": {"lambdaAlias": "live"}, "test": {"lambdaAlias": "blue"}}


def test_a_new_deployment_via_update_stage_keeps_the_variables(
    clients: EmulatorClients, service: ProvisionedService
) -> None:
    gateway = clients.apigateway
    deployment = gateway.create_deployment(restApiId=service.api_id)["id"]
    updated = gateway.update_stage(
        restApiId=service.api_id,
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/deploymentId", "value": deployment}],
    )
    assert updated["deploymentId"] == deployment
    assert updated["variables"] == {"lambdaAlias": "green"}


def test_alarm_states_can_be_set_and_described(clients: EmulatorClients) -> None:
    cloudwatch = clients.cloudwatch
    cloudwatch.set_alarm_state(
        AlarmName="orders-green-errors", StateValue="ALARM", StateReason="drill"
    )
    alarms = cloudwatch.describe_alarms(AlarmNamePrefix="orders-green-")["MetricAlarms"]
    states = {a["AlarmName"]: (a["StateValue"], a["StateReason"]) for a in alarms}
    assert states["orders-green-errors"] == ("ALARM", "drill")
    firing = cloudwatch.describe_alarms(StateValue="ALARM")["MetricAlarms"]
    assert [a["AlarmName"] for a in firing] == ["orders-green-errors"]


def test_audit_lines_can_be_shipped_to_the_log_group(clients: EmulatorClients) -> None:
    logs, group = clients.logs, "/bgtui/audit/orders"
    logs.create_log_stream(logGroupName=group, logStreamName="host-a")
    now = int(time.time() * 1000)
    logs.put_log_events(
        logGroupName=group,
        logStreamName="host-a",
        logEvents=[{"timestamp": now, "message": '{"action":"promote"}'}],
    )
    events = logs.get_log_events(logGroupName=group, logStreamName="host-a")["events"]
    assert [e["message"] for e in events] == ['{"action":"promote"}']


def test_the_caller_identity_is_the_emulated_account(clients: EmulatorClients) -> None:
    identity: dict[str, Any] = clients.client("sts").get_caller_identity()
    assert identity["Account"] == "123456789012" and identity["Arn"].startswith("arn:aws:")
