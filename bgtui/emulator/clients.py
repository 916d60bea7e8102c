"""boto3 clients aimed at the emulator: its endpoint, its fake credentials, quick timeouts."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, cast

import boto3
import botocore.session
from botocore.config import Config

from bgtui.emulator.fake_keys import FAKE_KEY

if TYPE_CHECKING:
    # The stubs are a development dependency: start-up imports nothing for them.
    from botocore.client import BaseClient
    from mypy_boto3_apigateway import APIGatewayClient
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_logs import CloudWatchLogsClient
    from mypy_boto3_resourcegroupstaggingapi import ResourceGroupsTaggingAPIClient
    from mypy_boto3_sts import STSClient

Service = Literal[
    "lambda", "apigateway", "cloudwatch", "logs", "iam", "resourcegroupstaggingapi", "sts", "sns"
]

_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 3},
    connect_timeout=5,
    read_timeout=60,
    max_pool_connections=32,
)
# Creating clients re-reads service models unless the botocore session is shared: sharing it
# turns half a second per set of clients into a few milliseconds.
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared_session() -> boto3.session.Session:
    return boto3.session.Session(
        aws_access_key_id=FAKE_KEY,
        aws_secret_access_key=FAKE_KEY,
        botocore_session=botocore.session.Session(),
    )


@lru_cache(maxsize=256)
def _client(endpoint_url: str, region: str, service: Service, validate: bool) -> BaseClient:
    config = _CONFIG.merge(Config(parameter_validation=validate))
    return _shared_session().client(
        service, region_name=region, endpoint_url=endpoint_url, config=config
    )


class EmulatorClients:
    """One boto3 client per service for one endpoint and region; clients are shared and reused.

    `validate=False` skips botocore's client-side parameter checks, for callers that build large
    well-formed requests themselves (the traffic generator).
    """

    def __init__(self, endpoint_url: str, region: str = "us-east-1", validate: bool = True):
        self.endpoint_url = endpoint_url
        self.region = region
        self.validate = validate

    def client(self, service: Service) -> BaseClient:
        with _lock:
            return _client(self.endpoint_url, self.region, service, self.validate)

    @property
    def lambda_(self) -> LambdaClient:
        return cast("LambdaClient", self.client("lambda"))

    @property
    def apigateway(self) -> APIGatewayClient:
        return cast("APIGatewayClient", self.client("apigateway"))

    @property
    def cloudwatch(self) -> CloudWatchClient:
        return cast("CloudWatchClient", self.client("cloudwatch"))

    @property
    def logs(self) -> CloudWatchLogsClient:
        return cast("CloudWatchLogsClient", self.client("logs"))

    @property
    def iam(self) -> IAMClient:
        return cast("IAMClient", self.client("iam"))

    @property
    def tagging(self) -> ResourceGroupsTaggingAPIClient:
        return cast("ResourceGroupsTaggingAPIClient", self.client("resourcegroupstaggingapi"))

    def account_id(self) -> str:
        sts = cast("STSClient", self.client("sts"))
        return sts.get_caller_identity()["Account"]
