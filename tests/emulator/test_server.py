"""Starting, stopping and resetting the emulator; concurrent requests."""

from __future__ import annotations

import logging
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import EndpointConnectionError

from bgtui.core.errors import BadInput, BgtuiError
from bgtui.demo.stack import provision_service
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import Emulator


def test_an_emulator_starts_on_a_free_local_port_and_stops(
    capfd: pytest.CaptureFixture[str],
) -> None:
    emulator = Emulator()
    url = emulator.start()
    assert url.startswith("http://127.0.0.1:") and emulator.running
    assert EmulatorClients(url).client("sts").get_caller_identity()["Account"] == "123456789012"
    emulator.stop()
    assert not emulator.running
    with pytest.raises(EndpointConnectionError):
        EmulatorClients(url).client("sts").get_caller_identity()
    # Request lines go to the logger, never to the terminal (the console draws there).
    assert capfd.readouterr().err == ""


def test_emulators_can_be_started_again_in_one_process() -> None:
    for _ in range(2):
        with Emulator() as emulator:
            clients = EmulatorClients(emulator.url)
            assert clients.client("sts").get_caller_identity()["Account"]


def test_a_port_in_use_is_bad_input() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BadInput, match=f"port {port} on 127.0.0.1 is already in use"):
            Emulator(port=port).start()


def test_the_url_of_a_stopped_emulator_is_an_error() -> None:
    with pytest.raises(BgtuiError, match="not running"):
        _ = Emulator().url


def test_reset_clears_every_resource(emulator: Emulator) -> None:
    clients = EmulatorClients(emulator.url)
    clients.logs.create_log_group(logGroupName="/reset/me")
    clients.iam.create_role(RoleName="reset-me", AssumeRolePolicyDocument="{}")
    emulator.reset()
    assert clients.logs.describe_log_groups()["logGroups"] == []
    roles = clients.iam.list_roles()["Roles"]
    assert [r for r in roles if r["RoleName"] == "reset-me"] == []


def test_reset_forgets_runtime_health_switches(emulator: Emulator) -> None:
    emulator.reset()
    provision_service(emulator.url, "orders", versions=1)
    emulator.set_health("orders", "1", healthy=False)
    emulator.reset()
    provision_service(emulator.url, "orders", versions=1)
    answer = EmulatorClients(emulator.url).lambda_.invoke(FunctionName="orders", Qualifier="live")
    assert "FunctionError" not in answer


def test_aws_managed_policies_are_loaded(clean_emulator: str) -> None:
    iam = EmulatorClients(clean_emulator).iam
    arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PolicyName"] == "AWSLambdaBasicExecutionRole"


def test_concurrent_requests_are_all_served(clean_emulator: str) -> None:
    clients = EmulatorClients(clean_emulator)

    def create(index: int) -> str:
        name = f"/concurrent/{index}"
        clients.logs.create_log_group(logGroupName=name)
        return name

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = set(pool.map(create, range(32)))
    pages = clients.logs.get_paginator("describe_log_groups").paginate(
        logGroupNamePrefix="/concurrent/"
    )
    assert {g["logGroupName"] for page in pages for g in page["logGroups"]} == created


def test_server_errors_are_logged_not_printed(
    clean_emulator: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="bgtui.emulator"):
        EmulatorClients(clean_emulator).client("sts").get_caller_identity()
    assert any("POST / HTTP/1.1" in r.getMessage() for r in caplog.records)
