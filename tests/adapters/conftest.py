"""Adapter fixtures: a context whose clients are stubbed, and a moto server over real HTTP."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.stub import Stubber

from bgtui.adapters.call_log import CallLog
from bgtui.adapters.session import AwsContext, make_clients

REGION = "us-east-1"
FAKE_KEY = "testing"


# Service models load once per loader; sharing one keeps each test's clients cheap.
_SHARED_LOADER = botocore.loaders.create_loader()


def fake_session() -> boto3.session.Session:
    """A session with the emulator's published fake credentials (not secret)."""
    core = botocore.session.get_session()
    core.register_component("data_loader", _SHARED_LOADER)
    return boto3.session.Session(
        aws_access_key_id=FAKE_KEY,
        aws_secret_access_key=FAKE_KEY,
        region_name=REGION,
        botocore_session=core,
    )


class Sleeps:
    """An injected `sleep` that records instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def call_log() -> CallLog:
    return CallLog()


@pytest.fixture
def aws(call_log: CallLog) -> AwsContext:
    """A context for real AWS (no endpoint override) whose clients tests stub."""
    return make_clients(None, REGION, None, call_log, session=fake_session(), environ={})


Stub = Callable[..., Stubber]


@pytest.fixture
def stub(aws: AwsContext) -> Iterator[Stub]:
    """`stub("lambda")` or `stub("lambda", write=True)`: an active Stubber, checked at the end."""
    stubbers: list[Stubber] = []

    def activate(service: str, write: bool = False) -> Stubber:
        client = aws.write_client(service) if write else aws.client(service)
        stubber = Stubber(client)
        stubber.activate()
        stubbers.append(stubber)
        return stubber

    yield activate
    for stubber in stubbers:
        stubber.assert_no_pending_responses()
        stubber.deactivate()


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """A moto server on a free local port, Lambda invocations answered without Docker."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    _moto_api(url, "config", {"lambda": {"use_docker": False}})
    yield url
    server.stop()


MOTO_REGION = "eu-north-1"
"""moto keeps state per process and region: these tests keep to a region of their own and
never reset the server, so an emulator's demo stack in the same process is left alone."""


@pytest.fixture
def moto(moto_url: str, call_log: CallLog) -> AwsContext:
    """A context against the moto server, in the adapter tests' own region."""
    return make_clients(None, MOTO_REGION, moto_url, call_log, session=fake_session(), environ={})


def _moto_api(url: str, path: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        f"{url}/moto-api/{path}", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
