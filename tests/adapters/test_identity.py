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
