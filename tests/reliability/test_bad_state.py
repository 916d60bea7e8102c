"""A service someone else broke by hand — a rewritten live record, a deleted alias, stage or
API — or asked for a version that does not exist: status still reports, every change is
refused in one line with the documented exit code, and nothing changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bgtui.core.errors import EXIT_AWS, EXIT_BAD_INPUT, EXIT_REFUSED
from bgtui.demo.stack import ProvisionedService
from bgtui.emulator.clients import EmulatorClients
from tests.reliability.harness import Cli, pointers

Breakage = Callable[[EmulatorClients, ProvisionedService], None]


def rewrite_live(description: str) -> Breakage:
    def breakage(clients: EmulatorClients, service: ProvisionedService) -> None:
        clients.lambda_.update_alias(
            FunctionName=service.function, Name="live", Description=description
        )

    return breakage


def delete_alias(name: str) -> Breakage:
    def breakage(clients: EmulatorClients, service: ProvisionedService) -> None:
        clients.lambda_.delete_alias(FunctionName=service.function, Name=name)

    return breakage


def delete_stage(name: str) -> Breakage:
    def breakage(clients: EmulatorClients, service: ProvisionedService) -> None:
        clients.apigateway.delete_stage(restApiId=service.api_id, stageName=name)

    return breakage


CHANGES = (
    ("promote", "--reason", "CHG-7", "--override", "smoke-passed", "--yes"),
    ("rollback", "--reason", "CHG-7", "--yes"),
    ("deploy", "--from-latest", "--reason", "CHG-7", "--yes"),
    ("deploy", "--version", "1", "--reason", "CHG-7", "--yes"),
)
BREAKAGES = {
    "live-record-hand-edited": (
        rewrite_live("moved by hand during the incident"),
        "no bgtui record",
    ),
    "live-record-of-another-schema": (
        rewrite_live(json.dumps({"schema": "bgtui/live-v1", "live": "purple"})),
        "no bgtui record",
    ),
    "green-alias-deleted": (delete_alias("green"), "alias green is missing"),
    "live-alias-deleted": (delete_alias("live"), "alias live is missing"),
    "test-stage-deleted": (delete_stage("test"), "stage test is missing"),
    "prod-stage-deleted": (delete_stage("prod"), "stage prod is missing"),
}


@pytest.mark.parametrize("broken", list(BREAKAGES))
def test_a_hand_broken_service_is_reported_and_every_change_refused(
    cli: Cli, service: ProvisionedService, clients: EmulatorClients, broken: str
) -> None:
    breakage, problem = BREAKAGES[broken]
    breakage(clients, service)
    before = pointers(clients, service)

    ran = cli("status", service.function)
    assert ran.code == 0 and problem in ran.out, ran
    document = cli.status(service.function)
    assert any(problem in text for text in document["problems"]), document

    for change in CHANGES:
        ran = cli(change[0], service.function, *change[1:])
        assert ran.code == EXIT_REFUSED and ran.one_line_error, (change, ran)
    assert pointers(clients, service) == before
    assert all(r.outcome == "refused" for r in cli.records(service.function))
    assert cli.trail().verify().ok


def test_a_version_that_does_not_exist_is_refused_naming_the_gate(
    cli: Cli, service: ProvisionedService, clients: EmulatorClients
) -> None:
    before = pointers(clients, service)
    ran = cli("deploy", service.function, "--version", "999", "--reason", "CHG-8", "--yes")
    assert ran.code == EXIT_REFUSED and ran.one_line_error, ran
    assert "version-exists" in ran.err and "999" in ran.err
    assert pointers(clients, service) == before


@pytest.mark.parametrize(
    "source",
    [("--version", "1.5"), ("--version", "-1"), ("--zip", "notes.txt"), ("--zip", ".")],
    ids=["fraction", "negative", "not-a-zip", "a-directory"],
)
def test_a_deploy_source_that_is_not_one_is_bad_input(
    cli: Cli,
    service: ProvisionedService,
    clients: EmulatorClients,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    source: tuple[str, str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("not a zip\n")
    before = pointers(clients, service)
    ran = cli("deploy", service.function, *source, "--reason", "CHG-9", "--yes")
    assert ran.code == EXIT_BAD_INPUT and ran.one_line_error, ran
    assert pointers(clients, service) == before


def test_a_deleted_rest_api_is_one_line_exit_4_and_nothing_changes(
    cli: Cli, service: ProvisionedService, clients: EmulatorClients
) -> None:
    clients.apigateway.delete_rest_api(restApiId=service.api_id)
    aliases = clients.lambda_.list_aliases(FunctionName=service.function)["Aliases"]
    for args in (("status", service.function), ("promote", service.function, "--yes")):
        ran = cli(*args)
        assert ran.code == EXIT_AWS and ran.one_line_error, (args, ran)
        assert service.api_id in ran.err
    assert clients.lambda_.list_aliases(FunctionName=service.function)["Aliases"] == aliases
