"""The error contracts documented on the ports (bgtui/core/ports.py), met by the AWS adapters.

Each case makes one adapter meet one AWS error answer, with a botocore Stubber, and asserts
the exact bgtui error its port documents. The error codes and their HTTP status codes come
from botocore's service models (botocore/data/<service>/<version>/service-2.json, the error
shapes each operation lists, read through the client's own model), or, for errors every AWS
API can answer and no model lists, from the AWS API references' "Common Errors" page
(docs.aws.amazon.com/lambda/latest/api/CommonErrors.html: AccessDeniedException 403,
ExpiredTokenException 403, ThrottlingException 400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from botocore.client import BaseClient

from bgtui.adapters.aws.apigateway import ApiGatewayStages
from bgtui.adapters.aws.cloudwatch import CloudWatchAlarms, CloudWatchMetrics
from bgtui.adapters.aws.identity import StsIdentity
from bgtui.adapters.aws.lambda_functions import LambdaFunctions
from bgtui.adapters.aws.logs import CloudWatchAuditSink
from bgtui.adapters.aws.retries import WRITE_ATTEMPTS
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import (
    AwsError,
    BadInput,
    BgtuiError,
    Conflict,
    CredentialError,
    CredentialsExpired,
    EndpointUnreachable,
    NotFound,
    Throttled,
)
from bgtui.core.ports import MetricQuery
from tests.adapters.conftest import Sleeps, Stub

FN, API, STAGE, GROUP = "payments-api", "a1b2c3", "test", "/bgtui/payments-api/audit"
COMMON_STATUS = {
    "AccessDeniedException": 403,
    "ExpiredTokenException": 403,
    "ThrottlingException": 400,
}
"""Errors common to every AWS API, with the status the Common Errors page gives them."""
START, END = datetime(2026, 1, 5, 9, 0, tzinfo=UTC), datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
QUERY = MetricQuery("q0", "AWS/Lambda", "Errors", (("FunctionName", FN),), "Sum")


@dataclass(frozen=True)
class Adapters:
    """Every AWS adapter over one stubbed context."""

    functions: LambdaFunctions
    stages: ApiGatewayStages
    alarms: CloudWatchAlarms
    metrics: CloudWatchMetrics
    sink: CloudWatchAuditSink
    identity: StsIdentity


Call = Callable[[Adapters], object]
CALLS: dict[str, Call] = {
    "FunctionsPort.discover": lambda a: a.functions.discover(),
    "FunctionsPort.list_aliases": lambda a: a.functions.list_aliases(FN),
    "FunctionsPort.get_alias": lambda a: a.functions.get_alias(FN, "blue"),
    "FunctionsPort.update_alias": lambda a: a.functions.update_alias(FN, "live", "4", "r1", ""),
    "FunctionsPort.list_versions": lambda a: a.functions.list_versions(FN),
    "FunctionsPort.version_exists": lambda a: a.functions.version_exists(FN, "4"),
    "FunctionsPort.update_code": lambda a: a.functions.update_code(FN, b"PK\x03\x04"),
    "FunctionsPort.publish_version": lambda a: a.functions.publish_version(FN, "build 4"),
    "FunctionsPort.invoke": lambda a: a.functions.invoke(FN, "green", b"{}"),
    "StagesPort.get_stages": lambda a: a.stages.get_stages(API),
    "StagesPort.point_stage": lambda a: a.stages.point_stage(API, STAGE, "green"),
    "AlarmsPort.alarm_states": lambda a: a.alarms.alarm_states([f"{FN}-errors"]),
    "MetricsPort.fetch": lambda a: a.metrics.fetch([QUERY], START, END),
    "AuditSinkPort.ship": lambda a: a.sink.ship(GROUP, ["an audit line"]),
    "IdentityPort.whoami": lambda a: a.identity.whoami(),
}
"""One call per port method, through the adapter that implements it."""


@dataclass(frozen=True)
class Case:
    """A port method meets one AWS error answer to `method`, sent to the read or write client."""

    port_method: str
    service: str
    method: str
    code: str
    expected: type[BgtuiError]
    write: bool = False

    @property
    def id(self) -> str:
        return f"{self.port_method}-{self.code}"

    @property
    def attempts(self) -> int:
        """Writes are retried by the adapter while throttled; reads by botocore (not stubbed)."""
        return WRITE_ATTEMPTS if self.write and self.expected is Throttled else 1


def cases(
    port_method: str, service: str, method: str, write: bool = False, **codes: type[BgtuiError]
) -> list[Case]:
    """The cases of one port method: each AWS error code with the bgtui error it must raise."""
    return [Case(port_method, service, method, code, kind, write) for code, kind in codes.items()]


CASES = [
    *cases(
        "FunctionsPort.discover",
        "resourcegroupstaggingapi",
        "get_resources",
        ThrottledException=Throttled,
        InvalidParameterException=AwsError,
        AccessDeniedException=CredentialError,
    ),
    *cases(
        "FunctionsPort.list_aliases",
        "lambda",
        "list_aliases",
        ResourceNotFoundException=NotFound,
        TooManyRequestsException=Throttled,
        ServiceException=AwsError,
        ExpiredTokenException=CredentialsExpired,
    ),
    *cases(
        "FunctionsPort.get_alias",
        "lambda",
        "get_alias",
        ResourceNotFoundException=NotFound,
        InvalidParameterValueException=BadInput,
        AccessDeniedException=CredentialError,
    ),
    *cases(
        "FunctionsPort.update_alias",
        "lambda",
        "update_alias",
        write=True,
        PreconditionFailedException=Conflict,
        ResourceConflictException=Conflict,
        ResourceNotFoundException=NotFound,
        TooManyRequestsException=Throttled,
        ServiceException=EndpointUnreachable,
        ExpiredTokenException=CredentialsExpired,
    ),
    *cases(
        "FunctionsPort.list_versions",
        "lambda",
        "list_versions_by_function",
        ResourceNotFoundException=NotFound,
        TooManyRequestsException=Throttled,
    ),
    *cases(
        "FunctionsPort.version_exists",
        "lambda",
        "get_function_configuration",
        TooManyRequestsException=Throttled,
        AccessDeniedException=CredentialError,
    ),
    *cases(
        "FunctionsPort.update_code",
        "lambda",
        "update_function_code",
        write=True,
        ResourceConflictException=Conflict,
        ResourceNotFoundException=NotFound,
        CodeStorageExceededException=AwsError,
        TooManyRequestsException=Throttled,
    ),
    *cases(
        "FunctionsPort.publish_version",
        "lambda",
        "publish_version",
        write=True,
        PreconditionFailedException=Conflict,
        ResourceConflictException=Conflict,
        ResourceNotFoundException=NotFound,
    ),
    *cases(
        "FunctionsPort.invoke",
        "lambda",
        "invoke",
        write=True,
        ResourceNotFoundException=NotFound,
        TooManyRequestsException=Throttled,
        ResourceNotReadyException=EndpointUnreachable,
        RequestTooLargeException=AwsError,
    ),
    *cases(
        "StagesPort.get_stages",
        "apigateway",
        "get_stages",
        NotFoundException=NotFound,
        TooManyRequestsException=Throttled,
        UnauthorizedException=CredentialError,
    ),
    *cases(
        "StagesPort.point_stage",
        "apigateway",
        "update_stage",
        NotFoundException=NotFound,
        ConflictException=Conflict,
        LimitExceededException=Throttled,
        BadRequestException=BadInput,
    ),
    *cases(
        "AlarmsPort.alarm_states",
        "cloudwatch",
        "describe_alarms",
        InvalidNextToken=AwsError,
        ThrottlingException=Throttled,
        AccessDeniedException=CredentialError,
    ),
    *cases(
        "MetricsPort.fetch",
        "cloudwatch",
        "get_metric_data",
        InvalidNextToken=AwsError,
        ThrottlingException=Throttled,
        ExpiredTokenException=CredentialsExpired,
    ),
    *cases(
        "AuditSinkPort.ship",
        "logs",
        "create_log_stream",
        ResourceNotFoundException=NotFound,
        AccessDeniedException=CredentialError,
    ),
    *cases(
        "IdentityPort.whoami",
        "sts",
        "get_caller_identity",
        ExpiredTokenException=CredentialsExpired,
        AccessDeniedException=CredentialError,
    ),
]


@pytest.fixture
def adapters(aws: AwsContext, sleeps: Sleeps) -> Adapters:
    return Adapters(
        LambdaFunctions(aws, sleep=sleeps, poll_interval_s=0.5, max_polls=3),
        ApiGatewayStages(aws),
        CloudWatchAlarms(aws),
        CloudWatchMetrics(aws),
        CloudWatchAuditSink(aws, sleep=sleeps, clock=START.timestamp, host="bastion"),
        StsIdentity(aws, user=lambda: "ops", host=lambda: "bastion"),
    )


def modelled_status(client: BaseClient, method: str, code: str) -> int | None:
    """The HTTP status botocore's model gives `code` for this operation; None if not listed."""
    operation = client.meta.service_model.operation_model(client.meta.method_to_api_mapping[method])
    for shape in operation.error_shapes:
        error = shape.metadata.get("error", {})
        if code in (shape.name, error.get("code")):
            return int(error.get("httpStatusCode", 400))
    return None


def answer_status(client: BaseClient, case: Case) -> int:
    """The status AWS answers `case.code` with: from the model, else from the common errors."""
    status = modelled_status(client, case.method, case.code)
    if status is None:
        assert case.code in COMMON_STATUS, f"{case.code} is neither modelled nor common"
        return COMMON_STATUS[case.code]
    return status


def test_every_port_method_has_a_contract_case() -> None:
    assert {case.port_method for case in CASES} == set(CALLS)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_adapter_raises_the_documented_error(
    case: Case, adapters: Adapters, stub: Stub, sleeps: Sleeps
) -> None:
    stubber = stub(case.service, write=case.write)
    status = answer_status(stubber.client, case)
    for _ in range(case.attempts):
        stubber.add_client_error(case.method, case.code, "from the stub", status)
    with pytest.raises(BgtuiError) as raised:
        CALLS[case.port_method](adapters)
    assert type(raised.value) is case.expected, f"{case.code} ({status}) gave {raised.value!r}"
    assert len(sleeps.delays) == case.attempts - 1


def test_a_missing_version_is_false_not_an_error(adapters: Adapters, stub: Stub) -> None:
    lam = stub("lambda")
    assert modelled_status(lam.client, "get_function_configuration", "ResourceNotFoundException")
    lam.add_client_error("get_function_configuration", "ResourceNotFoundException", "no", 404)
    assert adapters.functions.version_exists(FN, "9") is False


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ResourceNotFoundException", NotFound),
        ("InvalidParameterException", AwsError),
        ("DataAlreadyAcceptedException", AwsError),
        ("UnrecognizedClientException", CredentialsExpired),
        ("ThrottlingException", Throttled),
    ],
)
def test_shipping_audit_events_raises_the_documented_error(
    code: str, expected: type[BgtuiError], adapters: Adapters, stub: Stub, sleeps: Sleeps
) -> None:
    """PutLogEvents goes to the write client once the stream exists."""
    stub("logs").add_response("create_log_stream", {})
    writes = stub("logs", write=True)
    status = modelled_status(writes.client, "put_log_events", code) or COMMON_STATUS[code]
    attempts = WRITE_ATTEMPTS if expected is Throttled else 1
    for _ in range(attempts):
        writes.add_client_error("put_log_events", code, "from the stub", status)
    with pytest.raises(BgtuiError) as raised:
        adapters.sink.ship(GROUP, ["an audit line"])
    assert type(raised.value) is expected
    assert len(sleeps.delays) == attempts - 1
