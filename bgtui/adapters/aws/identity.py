"""STS and IAM through boto3: who the AWS caller is, the account's alias, the local user@host."""

from __future__ import annotations

import getpass
import socket
import threading
from collections.abc import Callable

from botocore.exceptions import ClientError

from bgtui.adapters.aws.errors import DENIED_CODES, aws_errors
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.models import Identity


def local_user() -> str:
    """The login name; a container without a passwd entry still gets a name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class StsIdentity:
    """IdentityPort over GetCallerIdentity; asked once, then remembered."""

    def __init__(
        self,
        context: AwsContext,
        user: Callable[[], str] = local_user,
        host: Callable[[], str] = socket.gethostname,
    ) -> None:
        self._aws = context
        self._user = user
        self._host = host
        self._identity: Identity | None = None
        self._alias: str | None = None
        self._lock = threading.Lock()

    def whoami(self) -> Identity:
        with self._lock:
            if self._identity is None:
                self._identity = self._ask()
            return self._identity

    def forget(self) -> None:
        """Ask again next time: after credentials were refreshed, the caller may differ."""
        with self._lock:
            self._identity = None
            self._alias = None

    def account_alias(self) -> str:
        """The account's alias (IAM ListAccountAliases); empty when it has none or IAM says no.

        An operator whose role may not list aliases still sees the account id: a denial is no
        reason to stop, so it is remembered as "no alias" rather than raised.
        """
        with self._lock:
            if self._alias is None:
                self._alias = self._ask_alias()
            return self._alias

    def _ask_alias(self) -> str:
        with aws_errors("list the aliases of", "the AWS account", service="iam"):
            try:
                answer = self._aws.client("iam").list_account_aliases()
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in DENIED_CODES:
                    return ""
                raise
        aliases = answer.get("AccountAliases") or []
        return str(aliases[0]) if aliases else ""

    def _ask(self) -> Identity:
        with aws_errors("identify", "the AWS caller", service="sts"):
            answer = self._aws.client("sts").get_caller_identity()
        return Identity(answer["Account"], answer["Arn"], f"{self._user()}@{self._host()}")
