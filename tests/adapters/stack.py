"""One blue/green service built directly with boto3 on the emulator, for behaviour tests."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass

from bgtui.adapters.aws.session import AwsContext
from bgtui.core.models import Colour, LiveRecord
from tests.adapters.conftest import fake_session

ROLE = "bgtui-adapter-tests"


@dataclass(frozen=True)
class ServiceIds:
    """Names and ids of a provisioned service."""

    function: str
    api_id: str
    api_name: str
    log_group: str


def code_zip(marker: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", f"def handler(event, context):\n    return {marker!r}\n")
    return buffer.getvalue()


def provision(aws: AwsContext, tagged: bool = True) -> ServiceIds:
    """Versions 1 and 2; blue and live on 1, green on 2; prod → live, test → green."""
    function = f"svc-{uuid.uuid4().hex[:10]}"
    api_id, api_name = _rest_api(aws, function)
    lam = aws.client("lambda")
    lam.create_function(
        FunctionName=function,
        Runtime="python3.12",
        Role=_role_arn(aws),
        Handler="index.handler",
        Code={"ZipFile": code_zip("v1")},
        Publish=True,
        Tags=_tags(function, api_id, api_name) if tagged else {},
    )
    lam.update_function_code(FunctionName=function, ZipFile=code_zip("v2"))
    lam.publish_version(FunctionName=function, Description="second")
    record = LiveRecord(Colour.BLUE).to_description()
    for alias, version, description in (
        ("blue", "1", ""),
        ("green", "2", ""),
        ("live", "1", record),
    ):
        lam.create_alias(
            FunctionName=function, Name=alias, FunctionVersion=version, Description=description
        )
    _alarms(aws, function)
    log_group = f"/bgtui/audit/{function}"
    aws.client("logs").create_log_group(logGroupName=log_group)
    return ServiceIds(function, api_id, api_name, log_group)


def _tags(function: str, api_id: str, api_name: str) -> dict[str, str]:
    return {
        "bluegreen:managed": "true",
        "bluegreen:service": function,
        "bluegreen:api-id": api_id,
        "bluegreen:api-name": api_name,
        "bluegreen:prod-stage": "prod",
        "bluegreen:test-stage": "test",
        "bluegreen:alarm-prefix": f"{function}-",
        "bluegreen:audit-log-group": f"/bgtui/audit/{function}",
        "bluegreen:environment": "test",
    }


def _role_arn(aws: AwsContext) -> str:
    iam = fake_session().client("iam", endpoint_url=aws.endpoint_url, region_name=aws.region)
    try:
        return str(iam.get_role(RoleName=ROLE)["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        created = iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument="{}")
        return str(created["Role"]["Arn"])


def _rest_api(aws: AwsContext, function: str) -> tuple[str, str]:
    apigateway = aws.client("apigateway")
    api_name = f"{function}-api"
    api_id = apigateway.create_rest_api(name=api_name)["id"]
    root = apigateway.get_resources(restApiId=api_id)["items"][0]["id"]
    apigateway.put_method(
        restApiId=api_id, resourceId=root, httpMethod="ANY", authorizationType="NONE"
    )
    alias = "${stageVariables.lambdaAlias}"
    target = f"arn:aws:lambda:{aws.region}:123456789012:function:{function}:{alias}"
    apigateway.put_integration(
        restApiId=api_id,
        resourceId=root,
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:{aws.region}:lambda:path/2015-03-31/functions/{target}/invocations",
    )
    deployment = apigateway.create_deployment(
        restApiId=api_id, stageName="prod", variables={"lambdaAlias": "live"}
    )
    apigateway.create_stage(
        restApiId=api_id,
        stageName="test",
        deploymentId=deployment["id"],
        variables={"lambdaAlias": "green"},
    )
    return api_id, api_name


def _alarms(aws: AwsContext, function: str) -> None:
    cloudwatch = aws.client("cloudwatch")
    for scope in ("blue", "green", "live"):
        cloudwatch.put_metric_alarm(
            AlarmName=f"{function}-{scope}-errors",
            Namespace="AWS/Lambda",
            MetricName="Errors",
            Dimensions=[
                {"Name": "FunctionName", "Value": function},
                {"Name": "Resource", "Value": f"{function}:{scope}"},
            ],
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=5,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        )
