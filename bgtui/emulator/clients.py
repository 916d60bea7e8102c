"""boto3 clients aimed at the emulator: its endpoint, its fake credentials, quick timeouts."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

FAKE_KEY = "testing"
_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 3},
    connect_timeout=5,
    read_timeout=60,
    max_pool_connections=32,
)


class EmulatorClients:
    """One boto3 client per service, created on first use, all sharing one session."""

    def __init__(self, endpoint_url: str, region: str = "us-east-1") -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self._session = boto3.session.Session(
            aws_access_key_id=FAKE_KEY, aws_secret_access_key=FAKE_KEY, region_name=region
        )
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        found = self._clients.get(service)
        if found is None:
            found = self._session.client(service, endpoint_url=self.endpoint_url, config=_CONFIG)
            self._clients[service] = found
        return found

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
