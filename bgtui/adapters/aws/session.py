"""One AWS session: region, endpoint, client settings, and clients built once and shared."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlparse

from bgtui.adapters.aws.call_log import CallLog
from bgtui.adapters.aws.errors import NO_REGION, aws_errors
from bgtui.core.errors import BadInput

if TYPE_CHECKING:
    # The stubs are a development dependency: start-up imports nothing for them, nor the SDK.
    import boto3
    from botocore.client import BaseClient
    from botocore.config import Config
    from mypy_boto3_apigateway import APIGatewayClient
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_logs import CloudWatchLogsClient
    from mypy_boto3_resourcegroupstaggingapi import ResourceGroupsTaggingAPIClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sts import STSClient

Service = Literal[
    "lambda", "apigateway", "cloudwatch", "logs", "sts", "resourcegroupstaggingapi", "iam", "sns"
]
WritingService = Literal["lambda", "logs", "sns"]
SERVICES: tuple[Service, ...] = (
    "lambda",
    "apigateway",
    "cloudwatch",
    "logs",
    "sts",
    "resourcegroupstaggingapi",
)
WRITING_SERVICES: tuple[WritingService, ...] = ("lambda", "logs")
"""Services the adapters send non-idempotent writes to (see `retries.send_mutation`)."""
AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")

Role = Literal["read", "write"]
SessionFactory = Callable[[], "boto3.session.Session"]


@dataclass(frozen=True)
class ClientSettings:
    """Network settings shared by every client."""

    connect_timeout_s: float = 5.0
    """Seconds to open a connection; a bastion's network fails fast or not at all."""
    read_timeout_s: float = 30.0
    """Seconds to wait for an answer to a read."""
    write_read_timeout_s: float = 70.0
    """Seconds to wait for a write or an invocation: code uploads and functions can be slow."""
    max_pool_connections: int = 16
    """Connections per client, enough for the console's worker threads."""
    read_attempts: int = 5
    """Attempts per read, retried by botocore's adaptive mode (throttling, 5xx, timeouts)."""

    def config(self, role: Role) -> Config:
        # The SDK is loaded with the first client, not with the console (see make_clients).
        from botocore.config import Config

        # Writes get one attempt from botocore: retries.send_mutation retries only what
        # AWS certainly refused, never a request whose outcome is unknown.
        attempts = self.read_attempts if role == "read" else 1
        read_timeout = self.read_timeout_s if role == "read" else self.write_read_timeout_s
        return Config(
            retries={"mode": "adaptive", "total_max_attempts": attempts},
            connect_timeout=self.connect_timeout_s,
            read_timeout=read_timeout,
            max_pool_connections=self.max_pool_connections,
            tcp_keepalive=True,
            # botocore's Config takes user_agent_appid (botocore/config.py); the stub omits it.
            user_agent_appid="bgtui",  # type: ignore[call-arg]
        )


class AwsContext:
    """The region, the endpoint and the shared clients every adapter uses; thread-safe."""

    def __init__(
        self,
        session_factory: SessionFactory,
        region: str,
        endpoint_url: str | None = None,
        call_log: CallLog | None = None,
        settings: ClientSettings | None = None,
        session: boto3.session.Session | None = None,
        endpoint_from_option: bool = True,
    ) -> None:
        self._session_factory = session_factory
        self._session = session
        self._settings = settings or ClientSettings()
        self._clients: dict[tuple[Service, Role], BaseClient] = {}
        self._lock = threading.Lock()
        self.region = region
        self.endpoint_url = endpoint_url
        """The endpoint every service is sent to, when one is (for showing and for the
        adapters' emulator rules); a per-service setting may still send one elsewhere."""
        self._client_endpoint = endpoint_url if endpoint_from_option else None
        self.call_log = call_log

    @overload
    def client(self, service: Literal["lambda"]) -> LambdaClient: ...
    @overload
    def client(self, service: Literal["apigateway"]) -> APIGatewayClient: ...
    @overload
    def client(self, service: Literal["cloudwatch"]) -> CloudWatchClient: ...
    @overload
    def client(self, service: Literal["logs"]) -> CloudWatchLogsClient: ...
    @overload
    def client(self, service: Literal["sts"]) -> STSClient: ...
    @overload
    def client(
        self, service: Literal["resourcegroupstaggingapi"]
    ) -> ResourceGroupsTaggingAPIClient: ...
    @overload
    def client(self, service: Literal["iam"]) -> IAMClient: ...
    @overload
    def client(self, service: Literal["sns"]) -> SNSClient: ...
    def client(self, service: Service) -> Any:
        """The client for reads (and idempotent writes): botocore retries it adaptively."""
        return self._client(service, "read")

    @overload
    def write_client(self, service: Literal["lambda"]) -> LambdaClient: ...
    @overload
    def write_client(self, service: Literal["logs"]) -> CloudWatchLogsClient: ...
    @overload
    def write_client(self, service: Literal["sns"]) -> SNSClient: ...
    def write_client(self, service: WritingService) -> Any:
        """The client for non-idempotent writes: one attempt, see `retries.send_mutation`."""
        return self._client(service, "write")

    def refresh_credentials(self) -> None:
        """Drop the session and clients so the next call loads credentials afresh."""
        with self._lock:
            self._clients.clear()
            self._session = None

    def warm(self) -> None:
        """Build the clients of every read ahead of the first call (~80 ms for the first).

        IAM is left to its one call, the account's alias, which is asked once.
        """
        for service in SERVICES:
            self.client(service)
        for service in WRITING_SERVICES:
            self.write_client(service)

    def _client(self, service: Service, role: Role) -> BaseClient:
        # boto3 sessions are not thread-safe while creating clients; the clients are.
        with self._lock:
            client = self._clients.get((service, role))
            if client is None:
                client = self._build(service, role)
                self._clients[(service, role)] = client
            return client

    def _build(self, service: Service, role: Role) -> BaseClient:
        with aws_errors("create a client for", service):
            if self._session is None:
                self._session = self._session_factory()
            use_fast_timestamps(self._session)
            client = self._session.client(
                service,
                region_name=self.region,
                endpoint_url=self._client_endpoint,
                config=self._settings.config(role),
            )
        if self.call_log is not None:
            self.call_log.attach(client)
        return client


def make_clients(
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    call_log: CallLog | None = None,
    *,
    session: boto3.session.Session | None = None,
    environ: Mapping[str, str] | None = None,
    settings: ClientSettings | None = None,
) -> AwsContext:
    """The AwsContext for these options; `session` is injected by tests and the emulator.

    An injected session is reused by `refresh_credentials`; otherwise a new session is
    created from the profile, so credentials refreshed on disk are picked up.

    Only `endpoint_url` (--endpoint-url) is handed to the clients: without it botocore
    resolves each service's endpoint itself, so `AWS_ENDPOINT_URL_<SERVICE>` wins over
    `AWS_ENDPOINT_URL` as in every AWS SDK. `environ` is where bgtui looks for what to
    show; botocore reads the process environment.
    """
    env = os.environ if environ is None else environ
    factory: SessionFactory = (lambda: session) if session else lambda: _new_session(profile)
    # The session (and the SDK with it) is made now only when the region or the profile asks
    # for it: a region given and the default profile leave both to the first client, so the
    # console's start does not load the SDK its first reads load in another process.
    known = region or env.get("AWS_REGION")
    default_profile = profile is None and not env.get("AWS_PROFILE")
    first = None if known and default_profile and session is None else factory()
    return AwsContext(
        factory,
        resolve_region(region, env, first.region_name if first else None),
        resolve_endpoint(endpoint_url, env),
        call_log,
        settings,
        session=first,
        endpoint_from_option=endpoint_url is not None,
    )


def resolve_region(region: str | None, env: Mapping[str, str], session_region: str | None) -> str:
    """The region: argument, then AWS_REGION, then AWS_DEFAULT_REGION or the profile."""
    chosen = region or env.get("AWS_REGION") or session_region
    if not chosen:
        raise BadInput(NO_REGION)
    if not _REGION.match(chosen):
        raise BadInput(f"{chosen!r} is not an AWS region name (like us-east-1)")
    return chosen


def resolve_endpoint(endpoint_url: str | None, env: Mapping[str, str]) -> str | None:
    """The endpoint override: argument, then AWS_ENDPOINT_URL; None means AWS itself.

    botocore reads AWS_ENDPOINT_URL itself; reading it here lets the console show where it
    points. The adapters ask each client where it points (`is_aws_endpoint`).
    """
    ignored = env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true"
    chosen = endpoint_url or (None if ignored else env.get("AWS_ENDPOINT_URL")) or None
    if chosen is not None:
        parsed = urlparse(chosen)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise BadInput(f"endpoint URL must look like http://127.0.0.1:4566, not {chosen!r}")
    return chosen


def is_aws_endpoint(client: BaseClient) -> bool:
    """True when the client talks to AWS itself rather than an emulator or a proxy."""
    host = urlparse(client.meta.endpoint_url).hostname or ""
    return host.endswith(AWS_DOMAINS)


def fast_timestamp(value: Any) -> datetime:
    """botocore's timestamp parsing, minus dateutil for the two forms AWS sends.

    A metrics refresh parses thousands of timestamps; dateutil made that most of the
    console's idle CPU.
    """
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value)
    try:
        return datetime.fromtimestamp(float(text), UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        from botocore.utils import parse_timestamp

        return parse_timestamp(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def use_fast_timestamps(session: boto3.session.Session) -> None:
    factory = session._session.get_component("response_parser_factory")
    factory.set_parser_defaults(timestamp_parser=fast_timestamp)


def _new_session(profile: str | None) -> boto3.session.Session:
    import boto3

    with aws_errors("load", f"AWS profile {profile!r}"):
        return boto3.session.Session(profile_name=profile)
