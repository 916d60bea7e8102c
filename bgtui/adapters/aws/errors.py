"""Turn botocore exceptions into bgtui errors with a one-line, secret-free message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from botocore import exceptions as boto

from bgtui.adapters.aws.call_log import iam_action
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

NO_REGION = "no AWS region: pass --region or set AWS_REGION"

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ProvisionedThroughputExceededException",
        "SlowDown",
        "BandwidthLimitExceeded",
    }
)
CREDENTIAL_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidAccessKeyId",
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "MissingAuthenticationTokenException",
        "AuthFailure",
    }
)
EXPIRED_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        # What Lambda, API Gateway and STS answer for a session token that no longer exists.
        "UnrecognizedClientException",
        "InvalidClientTokenId",
    }
)
"""Credentials that AWS no longer accepts: a role or SSO session ended during the shift."""
DENIED_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException"}
    # SNS's code for a denied call (botocore's sns model, AuthorizationErrorException).
    | {"AuthorizationError"}
)
NOT_FOUND_CODES = frozenset({"ResourceNotFoundException", "NotFoundException", "NotFound"})
CONFLICT_CODES = frozenset({"ResourceConflictException", "ConflictException"})
PRECONDITION_CODES = frozenset({"PreconditionFailedException", "PreconditionFailed"})
CONNECTION_ERRORS = (
    boto.EndpointConnectionError,
    boto.ConnectTimeoutError,
    boto.ProxyConnectionError,
    boto.SSLError,
)
# The request may have reached AWS: a write's outcome is unknown.
_LOST_ANSWER = (boto.ReadTimeoutError, boto.ConnectionClosedError)
SSO_ERRORS = (boto.TokenRetrievalError, boto.SSOTokenLoadError, boto.UnauthorizedSSOTokenError)
# botocore could not renew temporary credentials: the session behind them has ended.
REFRESH_ERRORS = (
    *SSO_ERRORS,
    boto.SSOError,
    boto.RefreshWithMFAUnsupportedError,
    boto.LoginRefreshRequired,
)
_STILL_EXPIRED = "refreshed credentials are still expired"
RENEW = "renew them (`aws sso login`, or however they were issued) and try again"

# AWS error texts can quote the canonical request (with the session token) or key ids.
_SECRETS = (
    (re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|ANPA|AGPA)[A-Z0-9]{12,}\b"), "<key id>"),
    (re.compile(r"(?i)(signature|credential|token|secret)[=:]\s*\S+"), r"\1=<redacted>"),
    (re.compile(r"[A-Za-z0-9/+=]{40,}"), "<redacted>"),
)
_DENIED_ACTION = re.compile(r"perform: (\S+:\S+)")
_MAX_DETAIL = 200


@contextmanager
def aws_errors(
    action: str,
    resource: str,
    *,
    service: str = "",
    revision: str = "",
    mutation: bool = False,
) -> Iterator[None]:
    """Raise a bgtui error for any botocore error inside, e.g. `aws_errors("read", "alias x")`.

    `action` is a verb phrase ("update", "list aliases of"), `resource` names what it acts on,
    `service` is the IAM prefix (to name a denied action), `revision` the RevisionId sent.
    For a `mutation`, a failure after the request left is EndpointUnreachable: the write may
    have happened, and the caller must re-read before deciding anything.
    The botocore error is not chained: its text may quote the signed request.
    """
    try:
        yield
    except boto.ClientError as error:
        if mutation and _status(error) >= 500:
            raise unknown_outcome(action, resource, f"AWS answered {_status(error)}") from None
        raise from_client_error(error, action, resource, service, revision) from None
    except boto.BotoCoreError as error:
        raise from_botocore_error(error, action, resource, mutation) from None
    except RuntimeError as error:
        # botocore's one plain exception: a credential refresh that brought expired ones.
        if _STILL_EXPIRED not in str(error):
            raise
        raise CredentialsExpired(f"the AWS credentials have expired: {RENEW}") from None


def unknown_outcome(action: str, resource: str, why: str) -> EndpointUnreachable:
    """A write was sent and no clear answer came back."""
    return EndpointUnreachable(
        f"{why} while trying to {action} {resource}; the outcome is unknown until re-read"
    )


def from_client_error(
    error: boto.ClientError, action: str, resource: str, service: str = "", revision: str = ""
) -> BgtuiError:
    """The bgtui error for an error answer from AWS."""
    code = str(error.response.get("Error", {}).get("Code", ""))
    status = _status(error)
    detail = scrub(str(error.response.get("Error", {}).get("Message", "")))
    if code in PRECONDITION_CODES or status == 412:
        seen = f" (revision {revision})" if revision else ""
        return Conflict(f"{resource} changed since it was read{seen}; re-read and try again")
    if code in CONFLICT_CODES:
        return Conflict(f"cannot {action} {resource} now: {detail or code}")
    if code in NOT_FOUND_CODES or status == 404:
        return NotFound(f"cannot {action} {resource}: not found{_suffix(detail)}")
    if code in THROTTLING_CODES or status == 429:
        return Throttled(f"AWS kept throttling requests to {action} {resource}; try again shortly")
    if code in DENIED_CODES:
        return CredentialError(
            f"access denied: {_denied_action(error, service, detail)} on {resource}"
        )
    if code in EXPIRED_CODES:
        # RequestExpired also answers a clock more than 15 minutes off (AWS Common Errors).
        clock = " (or this host's clock is off)" if code == "RequestExpired" else ""
        return CredentialsExpired(
            f"AWS rejected the credentials ({code}) to {action} {resource}:"
            f" they have expired or were revoked{clock}; {RENEW}"
        )
    if code in CREDENTIAL_CODES:
        return CredentialError(f"AWS rejected the credentials ({code}) to {action} {resource}")
    if code in {"ValidationException", "BadRequestException", "InvalidParameterValueException"}:
        return BadInput(f"AWS refused to {action} {resource}: {detail or code}")
    return AwsError(f"cannot {action} {resource}: {code or status}{_suffix(detail)}")


def from_botocore_error(
    error: boto.BotoCoreError, action: str, resource: str, mutation: bool = False
) -> BgtuiError:
    """The bgtui error for a failure on this side: network, credentials, configuration."""
    if isinstance(error, _LOST_ANSWER):
        timed_out = isinstance(error, boto.ReadTimeoutError)
        why = "AWS did not answer in time" if timed_out else "the connection was lost"
        if mutation:
            return unknown_outcome(action, resource, why)
        return EndpointUnreachable(f"{why} while trying to {action} {resource}")
    if isinstance(error, CONNECTION_ERRORS):
        return EndpointUnreachable(f"cannot reach {_origin(error)} to {action} {resource}")
    if isinstance(error, boto.NoRegionError):
        return BadInput(NO_REGION)
    return credential_error(error) or AwsError(f"cannot {action} {resource}: {scrub(str(error))}")


def credential_error(error: boto.BotoCoreError) -> CredentialError | None:
    """The credential problem this botocore error reports, if it reports one."""
    if isinstance(error, boto.NoCredentialsError):
        return CredentialError(
            "no AWS credentials found: pass --profile or set AWS_PROFILE or AWS_ACCESS_KEY_ID"
        )
    if isinstance(error, boto.PartialCredentialsError):
        missing = error.kwargs.get("cred_var", "a value")
        return CredentialError(
            f"incomplete AWS credentials from {error.kwargs.get('provider')}: {missing} is missing"
        )
    if isinstance(error, boto.ProfileNotFound):
        return CredentialError(f"AWS profile {error.kwargs.get('profile')!r} is not configured")
    if isinstance(error, SSO_ERRORS):
        return CredentialsExpired("the AWS SSO session has expired: run `aws sso login` and retry")
    if isinstance(error, REFRESH_ERRORS):
        return CredentialsExpired(f"the AWS credentials could not be renewed: {RENEW}")
    if isinstance(error, boto.CredentialRetrievalError):
        return CredentialError(f"cannot load AWS credentials from {error.kwargs.get('provider')}")
    return None


def scrub(text: str) -> str:
    """The first line of an AWS message, without key ids, tokens or signatures, kept short."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    for pattern, replacement in _SECRETS:
        line = pattern.sub(replacement, line)
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 1] + "…"


def _denied_action(error: boto.ClientError, service: str, detail: str) -> str:
    quoted = _DENIED_ACTION.search(detail)
    if quoted:
        return quoted.group(1)
    return iam_action(f"{service}:{error.operation_name}") if service else error.operation_name


def _status(error: boto.ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def _origin(error: boto.BotoCoreError) -> str:
    url = str(getattr(error, "kwargs", {}).get("endpoint_url", ""))
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}" if parsed.netloc else "the AWS endpoint"


def _suffix(detail: str) -> str:
    return f" ({detail})" if detail else ""
