"""AWS credentials kept in the keyring, for boto3 sessions and as an SDK `credential_process`.

`~/.aws/config` can then name the keyring instead of a plaintext `~/.aws/credentials`:

    [profile ops]
    credential_process = bgtui secrets credential-process --profile ops
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from bgtui.adapters.keyring.passphrase import unlock_for_command
from bgtui.adapters.keyring.secrets import SecretStore, default_store
from bgtui.core.errors import BadInput, BgtuiError, CredentialError

ENTRY_PREFIX = "aws:"
_PROFILE = re.compile(r"^[A-Za-z0-9_.+@=,-]{1,64}$")
_ACCESS_KEY_ID = re.compile(r"^\w{16,128}$", re.ASCII)
_SECRET = re.compile(r"^\S{1,4096}$")


@dataclass(frozen=True)
class AwsCredentials:
    """One credential set; the secret parts never appear in repr, logs or tracebacks."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    expiration: datetime | None = None
    """When a session (SSO, MFA, assumed role) ends; None for a long-lived key pair."""

    def __post_init__(self) -> None:
        if not _ACCESS_KEY_ID.match(self.access_key_id):
            raise BadInput("the AWS access key id must be 16 to 128 letters and digits")
        if not _SECRET.match(self.secret_access_key):
            raise BadInput("the AWS secret access key must be non-empty with no blanks")
        if self.session_token is not None and not _SECRET.match(self.session_token):
            raise BadInput("the AWS session token must be non-empty with no blanks")
        if self.expiration is not None and self.expiration.tzinfo is None:
            raise BadInput("the credentials' expiration needs a time zone (like 2026-01-01T00:00Z)")

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> AwsCredentials:
        """From the credential_process JSON (`aws configure export-credentials` prints it)."""
        try:
            return cls(
                access_key_id=str(document["AccessKeyId"]),
                secret_access_key=str(document["SecretAccessKey"]),
                session_token=_optional(document.get("SessionToken")),
                expiration=_instant(document.get("Expiration")),
            )
        except (KeyError, TypeError):
            raise BadInput("AWS credentials need AccessKeyId and SecretAccessKey") from None

    def document(self) -> dict[str, Any]:
        """The JSON an AWS SDK expects from a credential_process (Version 1)."""
        document: dict[str, Any] = {
            "Version": 1,
            "AccessKeyId": self.access_key_id,
            "SecretAccessKey": self.secret_access_key,
        }
        if self.session_token:
            document["SessionToken"] = self.session_token
        if self.expiration:
            document["Expiration"] = self.expiration.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return document

    def session_arguments(self) -> dict[str, str]:
        """Keyword arguments for `boto3.session.Session(**...)`."""
        arguments = {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
        }
        if self.session_token:
            arguments["aws_session_token"] = self.session_token
        return arguments

    def expired(self, now: datetime) -> bool:
        return self.expiration is not None and self.expiration <= now


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _instant(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"credentials Expiration {value!r} is not an ISO 8601 time") from None


def entry_name(profile: str) -> str:
    if not _PROFILE.match(profile):
        raise BadInput(f"profile name {profile!r} must be 1 to 64 letters, digits or _.+@=,-")
    return ENTRY_PREFIX + profile


def store_aws_credentials(
    store: SecretStore,
    profile: str,
    access_key_id: str,
    secret_access_key: str,
    session_token: str | None = None,
    expiration: datetime | None = None,
) -> None:
    """Keep one profile's credentials in the keyring, as a single entry."""
    credentials = AwsCredentials(access_key_id, secret_access_key, session_token, expiration)
    save_aws_credentials(store, profile, credentials)


def save_aws_credentials(store: SecretStore, profile: str, credentials: AwsCredentials) -> None:
    store.set(entry_name(profile), json.dumps(credentials.document(), sort_keys=True))


def load_aws_credentials(
    store: SecretStore, profile: str, now: datetime | None = None
) -> AwsCredentials:
    """The profile's credentials; CredentialError when none are stored or they have expired."""
    stored = store.get(entry_name(profile))
    if stored is None:
        raise CredentialError(
            f"no AWS credentials for profile {profile!r} in the keyring"
            f" (store them with: bgtui secrets set-aws {profile})"
        )
    try:
        credentials = AwsCredentials.from_document(json.loads(stored))
    except (ValueError, BadInput):
        raise CredentialError(f"the keyring entry for profile {profile!r} is damaged") from None
    if credentials.expired(now or datetime.now(UTC)):
        raise CredentialError(f"the AWS session stored for profile {profile!r} has expired")
    return credentials


def aws_credentials(
    store: SecretStore, profile: str, now: datetime | None = None
) -> dict[str, str]:
    """boto3 session arguments for the profile: `boto3.session.Session(**aws_credentials(...))`."""
    return load_aws_credentials(store, profile, now).session_arguments()


def print_credential_process(
    profile: str, out: TextIO, err: TextIO, store: SecretStore | None = None
) -> int:
    try:
        chosen = store or default_store()
        unlock_for_command(chosen)
        document = load_aws_credentials(chosen, profile).document()
    except BgtuiError as error:
        err.write(f"bgtui: {error.title.lower()}: {error}\n")
        return error.exit_code
    out.write(json.dumps(document) + "\n")
    return 0
