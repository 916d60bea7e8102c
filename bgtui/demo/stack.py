"""The demo stack: blue/green services created through the AWS APIs, per bgtui's conventions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from bgtui.core.errors import BadInput
from bgtui.core.models import LIVE_ALIAS, STAGE_VARIABLE, Colour, LiveRecord, PreviousLive
from bgtui.demo.code import BROKEN, demo_package
from bgtui.emulator.behaviour import Behaviour
from bgtui.emulator.clients import EmulatorClients

if TYPE_CHECKING:
    from mypy_boto3_lambda.literals import RuntimeType

ROLE_NAME = "bgtui-demo-lambda"
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
RUNTIME: RuntimeType = "python3.12"
SWAPPED_AT = "2026-01-05T09:30:00Z"
SWAPPED_BY = "release-bot@demo"
INTEGRATION_TIMEOUT_MS = 29000  # API Gateway's default and maximum, as the module leaves it
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@dataclass(frozen=True)
class DemoService:
    """One service of the demo stack."""

    function: str
    display_name: str
    versions: int = 2
    broken_candidate: bool = False
    live_colour: Colour = Colour.BLUE


DEMO_SERVICES = (
    DemoService("payments-api", "Payments API"),
    DemoService("ledger-writer", "Ledger Writer", broken_candidate=True),
    DemoService("fx-rates", "FX Rates", versions=3, live_colour=Colour.GREEN),
)


@dataclass(frozen=True)
class ProvisionedService:
    """What provision_service created: the function, its API and where each alias points."""

    function: str
    api_id: str
    api_name: str
    versions: tuple[str, ...]
    blue: str
    green: str
    live: str
    live_colour: Colour


@dataclass(frozen=True)
class _Layout:
    """Which published version each colour holds."""

    blue: str
    green: str
    live_colour: Colour
    record: LiveRecord

    @property
    def live(self) -> str:
        return self.blue if self.live_colour is Colour.BLUE else self.green


def example_tags(function: str) -> dict[str, str]:
    """The tags the Terraform example root puts on a service's API and stages. The emulator
    cannot change API Gateway tags later, so the demo creates them as Terraform will adopt them."""
    return {"app": function, "managed-by": "terraform"}


def provision_demo(endpoint_url: str, region: str = "us-east-1") -> list[str]:
    """Create the demo stack and return its function names."""
    clients = EmulatorClients(endpoint_url, region)
    role_arn, account = ensure_lambda_role(clients), clients.account_id()
    names = []
    for spec in DEMO_SERVICES:
        provision_service(
            clients,
            spec.function,
            display_name=spec.display_name,
            versions=spec.versions,
            broken_candidate=spec.broken_candidate,
            live_colour=spec.live_colour,
            role_arn=role_arn,
            account=account,
            api_tags=example_tags(spec.function),
        )
        names.append(spec.function)
    return names


def provision_service(
    target: EmulatorClients | str,
    function: str,
    *,
    region: str = "us-east-1",
    versions: int = 2,
    broken_candidate: bool = False,
    live_colour: Colour = Colour.BLUE,
    display_name: str = "",
    environment: str = "demo",
    role_arn: str | None = None,
    account: str | None = None,
    api_tags: dict[str, str] | None = None,
) -> ProvisionedService:
    """One blue/green service: function, `versions` healthy versions (+ a broken candidate),
    aliases, REST API with `prod`/`test` stages, six alarms, audit log group and tags.

    Pass `role_arn` and `account` when creating many services to save two calls each.
    """
    clients = target if isinstance(target, EmulatorClients) else EmulatorClients(target, region)
    layout = _layout(versions, broken_candidate, live_colour)
    account = account or clients.account_id()
    api_id, api_name = create_api(clients, function, account, api_tags or {})
    tags = service_tags(function, display_name or function, api_id, api_name, environment)
    published = publish_versions(
        clients, function, role_arn or ensure_lambda_role(clients), tags, versions, broken_candidate
    )
    create_aliases(clients, function, layout)
    create_stages(clients, api_id, layout, api_tags or {})
    create_alarms(clients, function)
    clients.logs.create_log_group(logGroupName=audit_log_group(function))
    # The function's own group, as the module makes it (30 days), before any traffic logs to it.
    function_logs = f"/aws/lambda/{function}"
    clients.logs.create_log_group(logGroupName=function_logs)
    clients.logs.put_retention_policy(logGroupName=function_logs, retentionInDays=30)
    return ProvisionedService(
        function, api_id, api_name, published, layout.blue, layout.green, layout.live, live_colour
    )


def _layout(versions: int, broken_candidate: bool, live_colour: Colour) -> _Layout:
    if versions < 1:
        raise BadInput("a service needs at least one healthy version")
    if broken_candidate and live_colour is Colour.GREEN:
        raise BadInput("the broken candidate sits on the idle colour; blue must be live")
    if broken_candidate:
        return _Layout(str(versions), str(versions + 1), Colour.BLUE, LiveRecord(Colour.BLUE))
    older, newest = str(max(versions - 1, 1)), str(versions)
    if live_colour is Colour.BLUE:
        return _Layout(older, newest, Colour.BLUE, LiveRecord(Colour.BLUE))
    previous = PreviousLive(Colour.BLUE, older)
    return _Layout(
        older, newest, live_colour, LiveRecord(live_colour, previous, SWAPPED_AT, SWAPPED_BY)
    )


def service_tags(
    function: str, display_name: str, api_id: str, api_name: str, environment: str
) -> dict[str, str]:
    return {
        "bluegreen:managed": "true",
        "bluegreen:service": display_name,
        "bluegreen:api-id": api_id,
        "bluegreen:api-name": api_name,
        "bluegreen:prod-stage": "prod",
        "bluegreen:test-stage": "test",
        "bluegreen:alarm-prefix": f"{function}-",
        "bluegreen:audit-log-group": audit_log_group(function),
        "bluegreen:environment": environment,
        "bluegreen:smoke-path": "/",
    }


def audit_log_group(function: str) -> str:
    return f"/bgtui/audit/{function}"


def ensure_lambda_role(clients: EmulatorClients) -> str:
    """The execution role demo functions share, created on first use."""
    try:
        return str(clients.iam.get_role(RoleName=ROLE_NAME)["Role"]["Arn"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchEntity":
            raise
    role = clients.iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(_TRUST))
    clients.iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=BASIC_EXECUTION)
    return str(role["Role"]["Arn"])


def publish_versions(
    clients: EmulatorClients,
    function: str,
    role_arn: str,
    tags: dict[str, str],
    healthy: int,
    broken_candidate: bool,
) -> tuple[str, ...]:
    """Create the function with version 1, then publish one version per further build."""
    builds: list[Behaviour] = [Behaviour()] * healthy + ([BROKEN] if broken_candidate else [])
    first = clients.lambda_.create_function(
        FunctionName=function,
        Runtime=RUNTIME,
        Role=role_arn,
        Handler="index.handler",
        # As the Terraform module builds them, so adopting a demo service changes little.
        Architectures=["arm64"],
        TracingConfig={"Mode": "Active"},
        Code={"ZipFile": demo_package(function, 1, builds[0])},
        Description=tags["bluegreen:service"],
        Timeout=10,
        Publish=True,
        Tags=tags,
    )
    published = [str(first["Version"])]
    for build, behaviour in enumerate(builds[1:], start=2):
        package = demo_package(function, build, behaviour)
        answer = clients.lambda_.update_function_code(
            FunctionName=function, ZipFile=package, Publish=True
        )
        published.append(str(answer["Version"]))
    return tuple(published)


def create_aliases(clients: EmulatorClients, function: str, layout: _Layout) -> None:
    for colour in Colour:
        version = layout.blue if colour is Colour.BLUE else layout.green
        clients.lambda_.create_alias(
            FunctionName=function,
            Name=colour.value,
            FunctionVersion=version,
            Description=f"{colour.value} environment",
        )
    clients.lambda_.create_alias(
        FunctionName=function,
        Name=LIVE_ALIAS,
        FunctionVersion=layout.live,
        Description=layout.record.to_description(),
    )


def create_api(
    clients: EmulatorClients, function: str, account: str, tags: dict[str, str] | None = None
) -> tuple[str, str]:
    """A regional REST API: ANY on `/` and `/{proxy+}`, proxied to the stage's alias."""
    api_gw, name = clients.apigateway, f"{function}-api"
    api_id = api_gw.create_rest_api(
        name=name, endpointConfiguration={"types": ["REGIONAL"]}, tags=tags or {}
    )["id"]
    root = api_gw.get_resources(restApiId=api_id)["items"][0]["id"]
    proxy = api_gw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")["id"]
    uri = integration_uri(clients.region, account, function)
    for resource in (root, proxy):
        api_gw.put_method(
            restApiId=api_id, resourceId=resource, httpMethod="ANY", authorizationType="NONE"
        )
        api_gw.put_integration(
            restApiId=api_id,
            resourceId=resource,
            httpMethod="ANY",
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=uri,
            timeoutInMillis=INTEGRATION_TIMEOUT_MS,
        )
    return api_id, name


def integration_uri(region: str, account: str, function: str) -> str:
    alias = f"${{stageVariables.{STAGE_VARIABLE}}}"
    target = f"arn:aws:lambda:{region}:{account}:function:{function}:{alias}"
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{target}/invocations"


def create_stages(
    clients: EmulatorClients, api_id: str, layout: _Layout, tags: dict[str, str] | None = None
) -> None:
    """`prod` routes to `live`, `test` to the idle colour (one deployment, variables per stage)."""
    deployment = clients.apigateway.create_deployment(restApiId=api_id)["id"]
    idle = layout.live_colour.other.value
    for stage, alias in (("prod", LIVE_ALIAS), ("test", idle)):
        clients.apigateway.create_stage(
            restApiId=api_id,
            stageName=stage,
            deploymentId=deployment,
            variables={STAGE_VARIABLE: alias},
            tags=tags or {},
        )


def alarm_definitions(function: str) -> list[dict[str, Any]]:
    """Errors and p99 duration alarms for blue, green and live."""
    found = []
    for scope in (Colour.BLUE.value, Colour.GREEN.value, LIVE_ALIAS):
        common = {
            "Namespace": "AWS/Lambda",
            "Dimensions": [
                {"Name": "FunctionName", "Value": function},
                {"Name": "Resource", "Value": f"{function}:{scope}"},
            ],
            "Period": 60,
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 2,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
        }
        found.append(
            common
            | {
                "AlarmName": f"{function}-{scope}-errors",
                "AlarmDescription": f"Errors of {function} through {scope}",
                "MetricName": "Errors",
                "Statistic": "Sum",
                "Threshold": 5.0,
            }
        )
        found.append(
            common
            | {
                "AlarmName": f"{function}-{scope}-p99",
                "AlarmDescription": f"p99 duration of {function} through {scope}",
                "MetricName": "Duration",
                "ExtendedStatistic": "p99",
                "Threshold": 1000.0,
            }
        )
    return found


def create_alarms(clients: EmulatorClients, function: str) -> None:
    for definition in alarm_definitions(function):
        clients.cloudwatch.put_metric_alarm(**definition)
