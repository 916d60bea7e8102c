"""StsIdentity: the caller asked once, with the local user@host."""

from __future__ import annotations

import pytest

from bgtui.adapters.aws.identity import StsIdentity
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import CredentialError
from bgtui.core.models import Identity
from tests.adapters.conftest import Stub

ARN = "arn:aws:sts::123456789012:assumed-role/oncall/alice"


def test_whoami_asks_sts_once(aws: AwsContext, stub: Stub) -> None:
    stub("sts").add_response(
        "get_caller_identity", {"Account": "123456789012", "Arn": ARN, "UserId": "AROA:alice"}, {}
    )
    identity = StsIdentity(aws, user=lambda: "alice", host=lambda: "bastion-1")
    expected = Identity("123456789012", ARN, "alice@bastion-1")
    assert identity.whoami() == expected
    assert identity.whoami() == expected


def test_forget_asks_again(aws: AwsContext, stub: Stub) -> None:
    sts = stub("sts")
    sts.add_response("get_caller_identity", {"Account": "1", "Arn": ARN, "UserId": "u"})
    sts.add_response("get_caller_identity", {"Account": "2", "Arn": ARN, "UserId": "u"})
    identity = StsIdentity(aws, user=lambda: "alice", host=lambda: "h")
    assert identity.whoami().account == "1"
    identity.forget()
    assert identity.whoami().account == "2"


def test_expired_credentials_are_a_credential_error(aws: AwsContext, stub: Stub) -> None:
    stub("sts").add_client_error("get_caller_identity", "ExpiredToken", "expired", 403)
    with pytest.raises(CredentialError, match="AWS rejected the credentials"):
        StsIdentity(aws).whoami()


def test_account_alias_is_asked_once(aws: AwsContext, stub: Stub) -> None:
    """ListAccountAliases answers a list of at most one alias (botocore's iam service model:
    AccountAliases, a required list)."""
    stub("iam").add_response(
        "list_account_aliases", {"AccountAliases": ["acme-prod"], "IsTruncated": False}, {}
    )
    identity = StsIdentity(aws)
    assert identity.account_alias() == "acme-prod"
    assert identity.account_alias() == "acme-prod"


def test_an_account_without_alias_has_none(aws: AwsContext, stub: Stub) -> None:
    stub("iam").add_response("list_account_aliases", {"AccountAliases": []})
    assert StsIdentity(aws).account_alias() == ""


def test_access_denied_to_the_alias_is_quiet(aws: AwsContext, stub: Stub) -> None:
    stub("iam").add_client_error("list_account_aliases", "AccessDenied", "not allowed", 403)
    assert StsIdentity(aws).account_alias() == ""


def test_expired_credentials_still_fail_the_alias(aws: AwsContext, stub: Stub) -> None:
    stub("iam").add_client_error("list_account_aliases", "ExpiredToken", "expired", 403)
    with pytest.raises(CredentialError, match="expired"):
        StsIdentity(aws).account_alias()
