"""The bgtui error hierarchy: every error carries a title, a one-line message and an exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2
EXIT_CONFLICT = 3
EXIT_AWS = 4


class BgtuiError(Exception):
    """Base of every error bgtui reports to an operator."""

    title = "Error"
    exit_code = EXIT_REFUSED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = " ".join(str(message).split())

    def __str__(self) -> str:
        return self.message


class BadInput(BgtuiError):
    """Arguments, configuration or files that cannot be used as given."""

    title = "Bad input"
    exit_code = EXIT_BAD_INPUT


class Refused(BgtuiError):
    """A gate, a policy or the operator said no; nothing was changed."""

    title = "Refused"
    exit_code = EXIT_REFUSED


class OperationFailed(BgtuiError):
    """An operation started and did not complete."""

    title = "Failed"
    exit_code = EXIT_REFUSED


class Conflict(BgtuiError):
    """The state is no longer what the operation expected (another operator changed it)."""

    title = "Conflict"
    exit_code = EXIT_CONFLICT


class AwsError(BgtuiError):
    """AWS (or the emulator) answered with an error, or could not be reached."""

    title = "AWS error"
    exit_code = EXIT_AWS


class CredentialError(AwsError):
    """Credentials are missing, wrong or expired."""

    title = "Credentials"


class CredentialsExpired(CredentialError):
    """Credentials that worked have expired (an SSO or role session ended): renew and reload."""


class Throttled(AwsError):
    """AWS kept throttling the request after every retry."""

    title = "Throttled"


class EndpointUnreachable(AwsError):
    """The endpoint could not be reached; the outcome of a write is unknown until re-read."""

    title = "Unreachable"


class NotFound(AwsError):
    """A function, alias, version, API or stage does not exist."""

    title = "Not found"


class TerraformError(BgtuiError):
    """Terraform could not be run or reported an error."""

    title = "Terraform"
    exit_code = EXIT_REFUSED
