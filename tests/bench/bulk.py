"""Many blue/green services created in-process through moto's backends: thousands in seconds.

`provision_service` speaks HTTP (about 0.6 s a service here); 1,000 services with 50 versions
each would take an hour that way. This writes the same functions, versions, tags, aliases, live
records, stages and alarms straight into the backends the emulator in this process serves, and
leaves out what no status read looks at: the API's resources, methods and integrations.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from moto.apigateway.models import apigateway_backends
from moto.awslambda.utils import get_backend as lambda_backend
from moto.cloudwatch.models import cloudwatch_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import iam_backends
from moto.logs.models import logs_backends

from bgtui.core.models import LIVE_ALIAS, STAGE_VARIABLE, Colour, LiveRecord
from bgtui.demo.code import demo_package
from bgtui.demo.stack import (
    ROLE_NAME,
    RUNTIME,
    alarm_definitions,
    audit_log_group,
    integration_uri,
    service_tags,
)
from bgtui.emulator.server import apply_patches

ACCOUNT = DEFAULT_ACCOUNT_ID
WORDS = ("payments", "ledger", "orders", "fx-rates", "billing", "search", "profile", "notify")
_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@dataclass(frozen=True)
class BulkService:
    """One service written by `create_services`."""

    function: str
    api_name: str
    blue: str
    green: str


def function_name(index: int) -> str:
    """`ledger-0042`: domain words, so a filter narrows the list the way an operator's would."""
    return f"{WORDS[index % len(WORDS)]}-{index:04d}"


def create_services(
    first: int, count: int, versions: int, region: str = "us-east-1"
) -> list[BulkService]:
    """Services `first` … `first + count - 1`, each with `versions` published versions."""
    apply_patches()
    role = _lambda_role(region)
    return [_service(function_name(i), versions, role, region) for i in range(first, first + count)]


def _lambda_role(region: str) -> str:
    iam = iam_backends[ACCOUNT]["aws"]
    for role in iam.roles.values():
        if role.name == ROLE_NAME:
            return str(role.arn)
    created = iam.create_role(ROLE_NAME, _TRUST, "/", None, "", [], None)
    return str(created.arn)


def _service(function: str, versions: int, role: str, region: str) -> BulkService:
    api_id, api_name = _api(function, region)
    tags = service_tags(function, function.replace("-", " ").title(), api_id, api_name, "bench")
    _function(function, versions, role, tags, region)
    blue, green = str(max(versions - 1, 1)), str(versions)
    _aliases(function, blue, green, region)
    _alarms(function, region)
    logs_backends[ACCOUNT][region].create_log_group(audit_log_group(function), {})
    return BulkService(function, api_name, blue, green)


def _function(function: str, versions: int, role: str, tags: dict[str, str], region: str) -> None:
    backend = lambda_backend(ACCOUNT, region)
    spec = {
        "FunctionName": function,
        "Runtime": RUNTIME,
        "Role": role,
        "Handler": "index.handler",
        "Code": {"ZipFile": _code(function, 1)},
        "Description": tags["bluegreen:service"],
        "Timeout": 10,
        "Publish": True,
        "Tags": tags,
    }
    backend.create_function(spec)
    for build in range(2, versions + 1):
        body = {"ZipFile": _code(function, build), "Publish": True}
        backend.update_function_code(function, "$LATEST", body)


def _code(function: str, build: int) -> str:
    return base64.b64encode(demo_package(function, build)).decode()


def _aliases(function: str, blue: str, green: str, region: str) -> None:
    backend = lambda_backend(ACCOUNT, region)
    for colour, version in ((Colour.BLUE, blue), (Colour.GREEN, green)):
        backend.create_alias(colour.value, function, version, f"{colour.value} environment", None)
    record = LiveRecord(Colour.BLUE).to_description()
    backend.create_alias(LIVE_ALIAS, function, blue, record, None)


def _api(function: str, region: str) -> tuple[str, str]:
    backend = apigateway_backends[ACCOUNT][region]
    name = f"{function}-api"
    api = backend.create_rest_api(name, "", endpoint_configuration={"types": ["REGIONAL"]})
    proxy = backend.create_resource(api.id, api.default.id, "{proxy+}")
    uri = integration_uri(region, ACCOUNT, function)
    for resource in (api.default.id, proxy.id):
        backend.put_method(api.id, resource, "ANY", "NONE")
        backend.put_integration(api.id, resource, "ANY", "AWS_PROXY", uri, "POST")
    deployment = backend.create_deployment(api.id, "")
    for stage, alias in (("prod", LIVE_ALIAS), ("test", Colour.GREEN.value)):
        backend.create_stage(api.id, stage, deployment.id, variables={STAGE_VARIABLE: alias})
    return str(api.id), name


def _alarms(function: str, region: str) -> None:
    backend = cloudwatch_backends[ACCOUNT][region]
    for alarm in alarm_definitions(function):
        backend.put_metric_alarm(**_alarm_arguments(alarm))


def _alarm_arguments(alarm: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": alarm["AlarmName"],
        "namespace": alarm["Namespace"],
        "metric_name": alarm["MetricName"],
        "comparison_operator": alarm["ComparisonOperator"],
        "evaluation_periods": alarm["EvaluationPeriods"],
        "period": alarm["Period"],
        "threshold": alarm["Threshold"],
        "statistic": alarm.get("Statistic"),
        "description": alarm["AlarmDescription"],
        "dimensions": alarm["Dimensions"],
        "alarm_actions": [],
        "datapoints_to_alarm": alarm["DatapointsToAlarm"],
        "extended_statistic": alarm.get("ExtendedStatistic"),
        "treat_missing_data": alarm["TreatMissingData"],
    }
