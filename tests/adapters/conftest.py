"""Adapter fixtures: a context whose clients are stubbed, and contexts on the embedded emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.stub import Stubber

from bgtui.adapters.aws.call_log import CallLog
from bgtui.adapters.aws.session import AwsContext, make_clients
from tests.emulator_fixtures import DemoStack

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


EMULATED_REGION = "eu-north-1"
"""The emulator keeps state per process and region: these tests keep to a region of their own,
with fresh names, and never reset it, so demo-stack tests in us-east-1 are left alone."""


@pytest.fixture
def emulated(emulator_url: str, call_log: CallLog) -> AwsContext:
    """A context against the session's embedded emulator, in the adapter tests' own region."""
    return make_clients(
        None, EMULATED_REGION, emulator_url, call_log, session=fake_session(), environ={}
    )


@pytest.fixture
def demo(demo_stack: DemoStack, call_log: CallLog) -> AwsContext:
    """A context against a freshly provisioned demo stack."""
    return make_clients(
        None,
        demo_stack.region,
        demo_stack.endpoint_url,
        call_log,
        session=fake_session(),
        environ={},
    )
