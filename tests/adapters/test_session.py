"""The AWS context: region and endpoint resolution, shared clients, retries, credential refresh."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from bgtui.adapters.aws.session import (
    SERVICES,
    WRITING_SERVICES,
    AwsContext,
    ClientSettings,
    make_clients,
)
from bgtui.core.errors import BadInput, CredentialError
from tests.adapters.conftest import REGION, fake_session


class SentRequest(Exception):
    """Raised from before-send to stop a request once its headers were seen."""


def test_missing_region_everywhere_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    with pytest.raises(BadInput) as caught:
        make_clients(None, None, None, session=session, environ={})
    assert str(caught.value) == "no AWS region: pass --region or set AWS_REGION"


def test_region_argument_then_aws_region_then_session() -> None:
    session = fake_session()
    env = {"AWS_REGION": "eu-west-1"}
    assert make_clients(None, "eu-central-1", None, session=session, environ=env).region == (
        "eu-central-1"
    )
    assert make_clients(None, None, None, session=session, environ=env).region == "eu-west-1"
    assert make_clients(None, None, None, session=session, environ={}).region == REGION


def test_a_nonsense_region_is_bad_input() -> None:
    with pytest.raises(BadInput, match="not an AWS region"):
        make_clients(None, "us east", None, session=fake_session(), environ={})


def test_endpoint_argument_wins_over_aws_endpoint_url() -> None:
    env = {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}
    context = make_clients(
        None, REGION, "http://127.0.0.1:4566", session=fake_session(), environ=env
    )
    assert context.endpoint_url == "http://127.0.0.1:4566"
    assert context.client("lambda").meta.endpoint_url == "http://127.0.0.1:4566"


def test_aws_endpoint_url_is_read_from_the_environment_to_show_it() -> None:
    env = {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}
    context = make_clients(None, REGION, None, session=fake_session(), environ=env)
    assert context.endpoint_url == "http://127.0.0.1:5000"


SERVICE_ENDPOINT_VARIABLES = {
    "lambda": "AWS_ENDPOINT_URL_LAMBDA",
    "apigateway": "AWS_ENDPOINT_URL_API_GATEWAY",
    "cloudwatch": "AWS_ENDPOINT_URL_CLOUDWATCH",
    "logs": "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
    "sts": "AWS_ENDPOINT_URL_STS",
    "resourcegroupstaggingapi": "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API",
}


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_specific_endpoint_wins_over_aws_endpoint_url(
    monkeypatch: pytest.MonkeyPatch, service: str
) -> None:
    """The AWS SDKs and Tools Reference Guide, "Service-specific endpoints"
    (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
    AWS_ENDPOINT_URL_<SERVICE> overrides AWS_ENDPOINT_URL; the variable names are the
    "Identifiers for service-specific endpoints" (botocore: configprovider's
    ConfiguredEndpointProvider). bgtui must leave that choice to botocore."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5001")
    monkeypatch.setenv(SERVICE_ENDPOINT_VARIABLES[service], "http://127.0.0.1:5002")
    context = make_clients(None, REGION, None, session=fake_session())
    assert context.client(service).meta.endpoint_url == "http://127.0.0.1:5002"
    assert context.write_client(service).meta.endpoint_url == "http://127.0.0.1:5002"
    others = [other for other in SERVICES if other != service]
    assert {context.client(other).meta.endpoint_url for other in others} == {
        "http://127.0.0.1:5001"
    }


def test_a_service_specific_endpoint_alone_sends_only_that_service_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "http://127.0.0.1:5003")
    context = make_clients(None, REGION, None, session=fake_session())
    assert context.client("cloudwatch").meta.endpoint_url == "http://127.0.0.1:5003"
    assert context.client("lambda").meta.endpoint_url == f"https://lambda.{REGION}.amazonaws.com"
    assert context.endpoint_url is None


def test_the_endpoint_option_wins_over_every_endpoint_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An endpoint set on the client itself is always used, whatever is configured (same
    guide, under ignore_configured_endpoint_urls)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5001")
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:5002")
    context = make_clients(None, REGION, "http://127.0.0.1:4566", session=fake_session())
    assert context.client("lambda").meta.endpoint_url == "http://127.0.0.1:4566"
    assert context.client("sts").meta.endpoint_url == "http://127.0.0.1:4566"


def test_ignore_configured_endpoint_urls_ignores_the_service_specific_ones_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:5002")
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    context = make_clients(None, REGION, None, session=fake_session())
    assert context.client("lambda").meta.endpoint_url == f"https://lambda.{REGION}.amazonaws.com"


def test_botocore_honours_aws_endpoint_url_natively_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5001")
    context = make_clients(None, REGION, None, session=fake_session())
    assert context.client("lambda").meta.endpoint_url == "http://127.0.0.1:5001"


def test_ignore_configured_endpoint_urls_is_respected() -> None:
    env = {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
    }
    assert (
        make_clients(None, REGION, None, session=fake_session(), environ=env).endpoint_url is None
    )


def test_a_malformed_endpoint_is_bad_input() -> None:
    with pytest.raises(BadInput, match="endpoint URL must look like"):
        make_clients(None, REGION, "localhost:4566", session=fake_session(), environ={})


def test_an_unknown_profile_is_a_credential_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    with pytest.raises(CredentialError, match="AWS profile 'oncall' is not configured"):
        make_clients("oncall", REGION, None, environ={})


def test_clients_are_built_once_and_shared(aws: AwsContext) -> None:
    assert aws.client("lambda") is aws.client("lambda")
    assert aws.write_client("lambda") is aws.write_client("lambda")
    assert aws.client("lambda") is not aws.write_client("lambda")


def test_clients_are_shared_across_threads(aws: AwsContext) -> None:
    seen: list[Any] = []
    threads = [threading.Thread(target=lambda: seen.append(aws.client("logs"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in seen}) == 1


def test_reads_retry_adaptively_and_writes_are_sent_once(aws: AwsContext) -> None:
    read_config = aws.client("lambda").meta.config
    write_config = aws.write_client("lambda").meta.config
    assert read_config.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert write_config.retries == {"mode": "adaptive", "total_max_attempts": 1}
    assert (read_config.connect_timeout, read_config.read_timeout) == (5.0, 30.0)
    assert write_config.read_timeout == 70.0
    assert read_config.max_pool_connections == 16


def test_settings_reach_every_client() -> None:
    settings = ClientSettings(connect_timeout_s=1.5, max_pool_connections=4, read_attempts=3)
    context = make_clients(
        None, REGION, None, session=fake_session(), environ={}, settings=settings
    )
    config = context.client("cloudwatch").meta.config
    assert (config.connect_timeout, config.max_pool_connections) == (1.5, 4)
    assert config.retries["total_max_attempts"] == 3


def test_refresh_credentials_rebuilds_clients(aws: AwsContext) -> None:
    before = aws.client("lambda")
    aws.refresh_credentials()
    assert aws.client("lambda") is not before


def test_refreshed_credentials_on_disk_are_used_without_restart(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    credentials = tmp_path / "credentials"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    credentials.write_text("[oncall]\naws_access_key_id = AKIDFIRST\naws_secret_access_key = x\n")
    context = make_clients("oncall", REGION, "http://127.0.0.1:9", environ={})
    assert _access_key_sent(context) == "AKIDFIRST"
    credentials.write_text("[oncall]\naws_access_key_id = AKIDSECOND\naws_secret_access_key = y\n")
    assert _access_key_sent(context) == "AKIDFIRST"
    context.refresh_credentials()
    assert _access_key_sent(context) == "AKIDSECOND"


def test_warm_builds_every_client_once_ahead_of_use(monkeypatch: pytest.MonkeyPatch) -> None:
    session = fake_session()
    built: list[str] = []
    create = session.client

    def counting_client(service: str, **options: Any) -> Any:
        built.append(service)
        return create(service, **options)

    monkeypatch.setattr(session, "client", counting_client)
    context = make_clients(None, REGION, None, session=session, environ={})
    started = time.perf_counter()
    context.warm()
    elapsed = time.perf_counter() - started
    assert sorted(built) == sorted([*SERVICES, *WRITING_SERVICES])
    for service in SERVICES:
        context.client(service)
    context.write_client("lambda")
    assert len(built) == len(SERVICES) + len(WRITING_SERVICES)
    # Measured at 0.2-0.3 s for all eight; the bound only catches a pathological change.
    assert elapsed < 5.0


def _access_key_sent(context: AwsContext) -> str:
    sts = context.write_client("sts")
    seen: list[str] = []

    def capture(request: Any, **_: Any) -> None:
        seen.append(request.headers["Authorization"].decode())
        raise SentRequest

    sts.meta.events.register("before-send", capture)
    with pytest.raises(SentRequest):
        sts.get_caller_identity()
    sts.meta.events.unregister("before-send", capture)
    return seen[0].split("Credential=")[1].split("/")[0]
