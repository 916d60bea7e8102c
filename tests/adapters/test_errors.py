"""Every botocore failure becomes a bgtui error with a one-line message and no secret in it."""

from __future__ import annotations

import pytest
from botocore import exceptions as boto

from bgtui.adapters.aws.errors import aws_errors, scrub
from bgtui.core.errors import (
    EXIT_AWS,
    EXIT_BAD_INPUT,
    EXIT_CONFLICT,
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

SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletoken1234567890"


def client_error(code: str, message: str = "", status: int = 400) -> boto.ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return boto.ClientError(response, "UpdateAlias")  # type: ignore[arg-type]


def translated(error: Exception, revision: str = "") -> BgtuiError:
    with (
        pytest.raises(BgtuiError) as caught,
        aws_errors("update", "alias live of payments-api", service="lambda", revision=revision),
    ):
        raise error
    return caught.value


def test_precondition_failed_is_a_conflict_naming_alias_function_and_revision() -> None:
    error = translated(client_error("PreconditionFailedException", "", 412), revision="r-17")
    assert type(error) is Conflict
    assert error.exit_code == EXIT_CONFLICT
    assert str(error) == (
        "alias live of payments-api changed since it was read (revision r-17); "
        "re-read and try again"
    )


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("ResourceNotFoundException", 404, NotFound),
        ("NotFoundException", 404, NotFound),
        ("ThrottlingException", 400, Throttled),
        ("TooManyRequestsException", 429, Throttled),
        ("Throttling", 400, Throttled),
        ("UnrecognizedClientException", 403, CredentialsExpired),
        ("InvalidClientTokenId", 403, CredentialsExpired),
        ("ExpiredToken", 400, CredentialsExpired),
        ("ExpiredTokenException", 403, CredentialsExpired),
        ("RequestExpired", 400, CredentialsExpired),
        ("SignatureDoesNotMatch", 403, CredentialError),
        ("AccessDeniedException", 403, CredentialError),
        ("ResourceConflictException", 409, Conflict),
        ("ValidationException", 400, BadInput),
        ("ServiceException", 500, AwsError),
    ],
)
def test_error_codes_map_to_bgtui_errors(code: str, status: int, kind: type[BgtuiError]) -> None:
    error = translated(client_error(code, "detail", status))
    assert type(error) is kind
    assert "payments-api" in str(error)
    assert "\n" not in str(error)


def test_access_denied_names_the_denied_action_from_the_message() -> None:
    message = (
        "User: arn:aws:sts::123456789012:assumed-role/oncall/alice is not authorized to "
        "perform: lambda:UpdateAlias on resource: arn:aws:lambda:us-east-1:1:function:x:live"
    )
    error = translated(client_error("AccessDeniedException", message, 403))
    assert str(error) == "access denied: lambda:UpdateAlias on alias live of payments-api"
    assert error.exit_code == EXIT_AWS


def test_access_denied_without_detail_names_the_iam_action_of_the_operation() -> None:
    error = translated(client_error("AccessDenied", "", 403))
    assert str(error) == "access denied: lambda:UpdateAlias on alias live of payments-api"


def test_signature_errors_do_not_leak_the_canonical_request() -> None:
    message = (
        "The request signature we calculated does not match the signature you provided.\n"
        f"x-amz-security-token:{SESSION_TOKEN}\n"
        "Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/lambda/aws4_request"
    )
    error = translated(client_error("ServiceFailure", message, 400))
    assert SESSION_TOKEN not in str(error)
    assert "AKIAIOSFODNN7EXAMPLE" not in str(error)


def test_scrub_removes_key_ids_tokens_and_signatures() -> None:
    text = f"key ASIAY34FZKBOKMUTVV7A token={SESSION_TOKEN} Signature=abcdef0123 rest"
    cleaned = scrub(text)
    assert "ASIAY34FZKBOKMUTVV7A" not in cleaned
    assert SESSION_TOKEN not in cleaned
    assert "abcdef0123" not in cleaned
    assert cleaned.endswith("rest")


def test_scrub_keeps_one_short_line() -> None:
    assert scrub("first line\nsecond line") == "first line"
    assert len(scrub("x " * 500)) == 200


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (
            boto.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
            EndpointUnreachable,
            "cannot reach http://127.0.0.1:9 to update alias live of payments-api",
        ),
        (
            boto.ConnectTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com"),
            EndpointUnreachable,
            "cannot reach https://lambda.us-east-1.amazonaws.com",
        ),
        (
            boto.ReadTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com"),
            EndpointUnreachable,
            "AWS did not answer in time while trying to update alias live of payments-api",
        ),
        (
            boto.ConnectionClosedError(endpoint_url="https://lambda.us-east-1.amazonaws.com"),
            EndpointUnreachable,
            "the connection was lost while trying to update alias live",
        ),
        (boto.NoCredentialsError(), CredentialError, "no AWS credentials found"),
        (
            boto.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
            CredentialError,
            "AWS_SECRET_ACCESS_KEY is missing",
        ),
        (boto.ProfileNotFound(profile="oncall"), CredentialError, "'oncall' is not configured"),
        (boto.TokenRetrievalError(provider="sso", error_msg="x"), CredentialsExpired, "sso login"),
        (boto.UnauthorizedSSOTokenError(), CredentialsExpired, "sso login"),
        (boto.RefreshWithMFAUnsupportedError(), CredentialsExpired, "could not be renewed"),
        (boto.LoginRefreshRequired(), CredentialsExpired, "could not be renewed"),
        (boto.NoRegionError(), BadInput, "no AWS region: pass --region or set AWS_REGION"),
        (boto.DataNotFoundError(data_path="x"), AwsError, "cannot update alias live"),
    ],
)
def test_botocore_errors_map_to_bgtui_errors(
    error: Exception, kind: type[BgtuiError], words: str
) -> None:
    translated_error = translated(error)
    assert type(translated_error) is kind
    assert words in str(translated_error)


@pytest.mark.parametrize(
    "error",
    [
        boto.ReadTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com"),
        boto.ConnectionClosedError(endpoint_url="https://lambda.us-east-1.amazonaws.com"),
        client_error("ServiceUnavailableException", "try later", 503),
    ],
)
def test_a_write_without_a_clear_answer_has_an_unknown_outcome(error: Exception) -> None:
    with (
        pytest.raises(EndpointUnreachable, match=r"the outcome is unknown until re-read$"),
        aws_errors("update", "alias live of payments-api", mutation=True),
    ):
        raise error


def test_a_refused_write_is_not_an_unknown_outcome() -> None:
    with (
        pytest.raises(Conflict),
        aws_errors("update", "alias live of payments-api", mutation=True),
    ):
        raise client_error("PreconditionFailedException", "stale", 412)


def test_no_region_is_bad_input_with_exit_code_2() -> None:
    assert translated(boto.NoRegionError()).exit_code == EXIT_BAD_INPUT


def test_the_botocore_error_is_not_chained_to_the_bgtui_error() -> None:
    error = translated(client_error("ServiceFailure", SESSION_TOKEN, 500))
    assert error.__cause__ is None
    assert error.__suppress_context__ is True


def test_other_exceptions_pass_through_untouched() -> None:
    with pytest.raises(KeyError), aws_errors("read", "alias blue of payments-api"):
        raise KeyError("not an AWS error")


def test_expired_credentials_say_how_to_renew_them() -> None:
    """The codes of the AWS "Common Errors" list for a rejected security token
    (https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html: ExpiredTokenException,
    UnrecognizedClientException, InvalidClientTokenId, RequestExpired; botocore's STS model
    names ExpiredTokenException, its Logs model UnrecognizedClientException)."""
    error = translated(client_error("ExpiredTokenException", "The security token is expired", 403))
    assert isinstance(error, CredentialError) and error.exit_code == EXIT_AWS
    assert "ExpiredTokenException" in str(error) and "aws sso login" in str(error)


def test_a_refresh_that_brings_expired_credentials_is_an_expiry() -> None:
    """botocore.credentials.RefreshableCredentials raises a plain RuntimeError when the
    refreshed credentials are already expired (a mandatory refresh)."""
    refreshed = RuntimeError(
        "Credentials were refreshed, but the refreshed credentials are still expired."
    )
    assert type(translated(refreshed)) is CredentialsExpired


def test_other_runtime_errors_are_not_taken_for_expiry() -> None:
    with (
        pytest.raises(RuntimeError, match="something else"),
        aws_errors("update", "alias live of payments-api"),
    ):
        raise RuntimeError("something else")
