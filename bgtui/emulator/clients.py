"""boto3 clients aimed at the emulator: its endpoint, its fake credentials, quick timeouts."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import boto3
import botocore.session
from botocore.config import Config

from bgtui.emulator.fake_keys import FAKE_KEY

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
def _client(endpoint_url: str, region: str, service: str, validate: bool) -> Any:
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

    def client(self, service: str) -> Any:
        with _lock:
            return _client(self.endpoint_url, self.region, service, self.validate)

    @property
    def lambda_(self) -> Any:
        return self.client("lambda")

    @property
    def apigateway(self) -> Any:
        return self.client("apigateway")

    @property
    def cloudwatch(self) -> Any:
        return self.client("cloudwatch")

    @property
    def logs(self) -> Any:
        return self.client("logs")

    @property
    def iam(self) -> Any:
        return self.client("iam")

    @property
    def tagging(self) -> Any:
        return self.client("resourcegroupstaggingapi")

    def account_id(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])
