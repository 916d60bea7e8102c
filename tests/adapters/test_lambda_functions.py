"""LambdaFunctions: the exact Lambda and tagging calls, and how their errors come back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from botocore.response import StreamingBody
from botocore.stub import ANY

from bgtui.adapters.aws.lambda_functions import PAYLOAD_LIMIT, LambdaFunctions
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import (
    AwsError,
    BadInput,
    Conflict,
    EndpointUnreachable,
    NotFound,
    OperationFailed,
    Throttled,
)
from bgtui.core.models import AliasState, InvokeResult, VersionInfo
from tests.adapters.conftest import Sleeps, Stub

FN = "payments-api"
ARN = f"arn:aws:lambda:us-east-1:123456789012:function:{FN}"
TAG_FILTER = {
    "ResourceTypeFilters": ["lambda:function"],
    "TagFilters": [{"Key": "bluegreen:managed", "Values": ["true"]}],
    # The largest pages: ResourcesPerPage 1-100, TagsPerPage 100-500 (botocore's
    # resourcegroupstaggingapi service model).
    "ResourcesPerPage": 100,
    "TagsPerPage": 500,
}


@pytest.fixture
def functions(aws: AwsContext, sleeps: Sleeps) -> LambdaFunctions:
    return LambdaFunctions(aws, sleep=sleeps, poll_interval_s=0.5, max_polls=3)


def alias(name: str, version: str, revision: str, description: str = "") -> dict[str, Any]:
    return {
        "AliasArn": f"{ARN}:{name}",
        "Name": name,
        "FunctionVersion": version,
        "RevisionId": revision,
        "Description": description,
    }


def mapping(arn: str, **tags: str) -> dict[str, Any]:
    return {"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


def test_discover_pages_through_tagged_functions_and_skips_qualified_arns(
    functions: LambdaFunctions, stub: Stub
) -> None:
    tagging = stub("resourcegroupstaggingapi")
    first = [mapping(ARN, **{"bluegreen:service": "Payments"}), mapping(f"{ARN}:live")]
    tagging.add_response(
        "get_resources", {"ResourceTagMappingList": first, "PaginationToken": "p2"}, TAG_FILTER
    )
    second = [mapping(ARN.replace(FN, "ledger-writer"), **{"bluegreen:managed": "true"})]
    tagging.add_response(
        "get_resources",
        {"ResourceTagMappingList": second, "PaginationToken": ""},
        {**TAG_FILTER, "PaginationToken": "p2"},
    )
    found = functions.discover()
    assert [tagged.function for tagged in found] == ["ledger-writer", FN]
    assert found[1].tags == {"bluegreen:service": "Payments"}
    assert found[1].arn == ARN


def test_list_aliases_follows_markers(functions: LambdaFunctions, stub: Stub) -> None:
    lam = stub("lambda")
    lam.add_response(
        "list_aliases",
        {"Aliases": [alias("blue", "3", "r1")], "NextMarker": "m"},
        {"FunctionName": FN},
    )
    lam.add_response(
        "list_aliases",
        {"Aliases": [alias("live", "3", "r2", '{"live":"blue"}')]},
        {"FunctionName": FN, "Marker": "m"},
    )
    assert functions.list_aliases(FN) == {
        "blue": AliasState("blue", "3", "r1", ""),
        "live": AliasState("live", "3", "r2", '{"live":"blue"}'),
    }


def test_get_alias_missing_is_not_found(functions: LambdaFunctions, stub: Stub) -> None:
    stub("lambda").add_client_error(
        "get_alias",
        "ResourceNotFoundException",
        "Cannot find alias arn",
        404,
        expected_params={"FunctionName": FN, "Name": "green"},
    )
    with pytest.raises(NotFound, match="cannot read alias green of payments-api: not found"):
        functions.get_alias(FN, "green")


def test_update_alias_sends_version_revision_description_and_no_weights(
    functions: LambdaFunctions, stub: Stub
) -> None:
    stub("lambda", write=True).add_response(
        "update_alias",
        alias("live", "4", "r9", "record"),
        {
            "FunctionName": FN,
            "Name": "live",
            "FunctionVersion": "4",
            "Description": "record",
            "RevisionId": "r8",
            "RoutingConfig": {"AdditionalVersionWeights": {}},
        },
    )
    assert functions.update_alias(FN, "live", "4", "r8", "record") == AliasState(
        "live", "4", "r9", "record"
    )


def test_update_alias_with_a_stale_revision_is_a_conflict(
    functions: LambdaFunctions, stub: Stub
) -> None:
    stub("lambda", write=True).add_client_error(
        "update_alias",
        "PreconditionFailedException",
        "The Revision Id provided does not match",
        412,
    )
    with pytest.raises(Conflict) as caught:
        functions.update_alias(FN, "live", "4", "r8", "record")
    assert str(caught.value) == (
        "alias live of payments-api changed since it was read (revision r8); re-read and try again"
    )


def test_update_alias_retries_throttling_only(
    functions: LambdaFunctions, stub: Stub, sleeps: Sleeps
) -> None:
    lam = stub("lambda", write=True)
    lam.add_client_error("update_alias", "TooManyRequestsException", "Rate exceeded", 429)
    lam.add_response("update_alias", alias("live", "4", "r9"))
    assert functions.update_alias(FN, "live", "4", "r8", "").revision_id == "r9"
    assert len(sleeps.delays) == 1


def test_update_alias_gives_up_after_five_throttled_attempts(
    functions: LambdaFunctions, stub: Stub, sleeps: Sleeps
) -> None:
    lam = stub("lambda", write=True)
    for _ in range(5):
        lam.add_client_error("update_alias", "TooManyRequestsException", "Rate exceeded", 429)
    with pytest.raises(Throttled):
        functions.update_alias(FN, "live", "4", "r8", "")
    assert len(sleeps.delays) == 4


def test_a_server_error_on_update_alias_is_an_unknown_outcome_not_retried(
    functions: LambdaFunctions, stub: Stub
) -> None:
    stub("lambda", write=True).add_client_error("update_alias", "ServiceException", "boom", 500)
    # A second attempt would find no stubbed answer and fail differently.
    with pytest.raises(EndpointUnreachable) as caught:
        functions.update_alias(FN, "live", "4", "r8", "")
    assert str(caught.value) == (
        "AWS answered 500 while trying to update alias live of payments-api; "
        "the outcome is unknown until re-read"
    )


def test_a_server_error_on_a_read_is_an_aws_error(functions: LambdaFunctions, stub: Stub) -> None:
    stub("lambda").add_client_error("get_alias", "ServiceException", "boom", 500)
    with pytest.raises(AwsError) as caught:
        functions.get_alias(FN, "live")
    assert type(caught.value) is AwsError
    assert str(caught.value) == "cannot read alias live of payments-api: ServiceException (boom)"


def test_update_alias_does_not_retry_after_a_read_timeout(
    aws: AwsContext, functions: LambdaFunctions, sleeps: Sleeps
) -> None:
    attempts = _fail_every_send(aws.write_client("lambda"), ReadTimeoutError(endpoint_url="x"))
    with pytest.raises(EndpointUnreachable, match="outcome is unknown until re-read"):
        functions.update_alias(FN, "live", "4", "r8", "")
    assert attempts == [1]
    assert sleeps.delays == []


def test_update_alias_retries_a_connection_that_was_never_made(
    aws: AwsContext, functions: LambdaFunctions, sleeps: Sleeps
) -> None:
    error = EndpointConnectionError(endpoint_url="https://lambda.us-east-1.amazonaws.com")
    attempts = _fail_every_send(aws.write_client("lambda"), error)
    with pytest.raises(EndpointUnreachable, match="cannot reach https://lambda"):
        functions.update_alias(FN, "live", "4", "r8", "")
    assert len(attempts) == 5
    assert len(sleeps.delays) == 4


def test_update_alias_refuses_unpublished_versions_and_missing_revisions(
    functions: LambdaFunctions,
) -> None:
    with pytest.raises(BadInput, match="a published version is a number"):
        functions.update_alias(FN, "live", "$LATEST", "r8", "")
    with pytest.raises(BadInput, match="from a revision read"):
        functions.update_alias(FN, "live", "4", "", "")


def test_list_versions_skips_latest_and_sorts_newest_first(
    functions: LambdaFunctions, stub: Stub
) -> None:
    def config(version: str) -> dict[str, Any]:
        return {"Version": version, "LastModified": f"t{version}", "CodeSha256": f"sha{version}"}

    lam = stub("lambda")
    lam.add_response(
        "list_versions_by_function",
        {"Versions": [config("$LATEST"), config("9")], "NextMarker": "m"},
        {"FunctionName": FN},
    )
    lam.add_response(
        "list_versions_by_function",
        {"Versions": [config("10"), config("1")]},
        {"FunctionName": FN, "Marker": "m"},
    )
    versions = functions.list_versions(FN)
    assert [v.version for v in versions] == ["10", "9", "1"]
    assert versions[0] == VersionInfo("10", "t10", "", "sha10")


def test_version_exists_reads_the_qualified_configuration(
    functions: LambdaFunctions, stub: Stub
) -> None:
    lam = stub("lambda")
    params = {"FunctionName": FN, "Qualifier": "3"}
    lam.add_response("get_function_configuration", {"Version": "3"}, params)
    lam.add_client_error(
        "get_function_configuration", "ResourceNotFoundException", "", 404, expected_params=params
    )
    assert functions.version_exists(FN, "3") is True
    assert functions.version_exists(FN, "3") is False
    with pytest.raises(BadInput):
        functions.version_exists(FN, "three")


def test_update_code_waits_until_lambda_applied_it(
    functions: LambdaFunctions, stub: Stub, sleeps: Sleeps
) -> None:
    stub("lambda", write=True).add_response(
        "update_function_code",
        {"LastUpdateStatus": "InProgress", "CodeSha256": "old"},
        {"FunctionName": FN, "ZipFile": b"PK zip"},
    )
    reads = stub("lambda")
    reads.add_response("get_function_configuration", {"LastUpdateStatus": "InProgress"})
    reads.add_response(
        "get_function_configuration",
        {"LastUpdateStatus": "Successful", "CodeSha256": "new"},
        {"FunctionName": FN},
    )
    assert functions.update_code(FN, b"PK zip") == "new"
    assert sleeps.delays == [0.5, 0.5]


def test_update_code_reports_a_failed_update(functions: LambdaFunctions, stub: Stub) -> None:
    stub("lambda", write=True).add_response(
        "update_function_code",
        {"LastUpdateStatus": "Failed", "LastUpdateStatusReason": "zip is not a zip"},
    )
    with pytest.raises(OperationFailed, match="could not apply the new code of payments-api: zip"):
        functions.update_code(FN, b"nope")


def test_update_code_gives_up_after_the_polls(
    functions: LambdaFunctions, stub: Stub, sleeps: Sleeps
) -> None:
    stub("lambda", write=True).add_response(
        "update_function_code", {"LastUpdateStatus": "InProgress"}
    )
    reads = stub("lambda")
    for _ in range(3):
        reads.add_response("get_function_configuration", {"LastUpdateStatus": "InProgress"})
    with pytest.raises(OperationFailed, match="still in progress after 2 s"):
        functions.update_code(FN, b"PK")
    assert len(sleeps.delays) == 3


def test_update_code_refuses_empty_code(functions: LambdaFunctions) -> None:
    with pytest.raises(BadInput, match="empty"):
        functions.update_code(FN, b"")


def test_publish_version_returns_the_new_version(functions: LambdaFunctions, stub: Stub) -> None:
    stub("lambda", write=True).add_response(
        "publish_version",
        {"Version": "5", "Description": "deploy 5", "CodeSha256": "abc", "LastModified": "now"},
        {"FunctionName": FN, "Description": "deploy 5"},
    )
    assert functions.publish_version(FN, "deploy 5") == VersionInfo("5", "now", "deploy 5", "abc")


def test_invoke_returns_status_error_version_and_payload(
    functions: LambdaFunctions, stub: Stub
) -> None:
    body = b'{"errorMessage": "KeyError: \'amount\'"}'
    stub("lambda", write=True).add_response(
        "invoke",
        {
            "StatusCode": 200,
            "FunctionError": "Unhandled",
            "ExecutedVersion": "4",
            "Payload": StreamingBody(io.BytesIO(body), len(body)),
        },
        {
            "FunctionName": FN,
            "InvocationType": "RequestResponse",
            "Qualifier": "green",
            "Payload": ANY,
        },
    )
    assert functions.invoke(FN, "green", b"{}") == InvokeResult(
        200, body.decode(), "Unhandled", "4"
    )


def test_invoke_truncates_a_large_payload(functions: LambdaFunctions, stub: Stub) -> None:
    body = b"x" * (PAYLOAD_LIMIT * 10)
    stub("lambda", write=True).add_response(
        "invoke", {"StatusCode": 200, "Payload": StreamingBody(io.BytesIO(body), len(body))}
    )
    result = functions.invoke(FN, "green", b"{}")
    assert len(result.payload) == PAYLOAD_LIMIT + 1
    assert result.payload.endswith("…")


def _fail_every_send(client: Any, error: Exception) -> list[int]:
    attempts: list[int] = []

    def fail(**_: Any) -> None:
        attempts.append(len(attempts) + 1)
        raise error

    client.meta.events.register("before-send", fail)
    return attempts
