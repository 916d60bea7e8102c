"""A plain two-alias stack (prod + test, stage variable `alias`) operated end to end through the
CLI against the emulator: deploy → test → promote → rollback, by the aliases' real names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgtui.cli.main import main
from bgtui.emulator.clients import EmulatorClients
from tests.adopt.plain_stack import OWNERS_NOTE, PlainStack, make_plain_stack

REGION = "us-east-1"


@pytest.fixture
def plain(clean_emulator: str) -> PlainStack:
    return make_plain_stack(EmulatorClients(clean_emulator, REGION))


@pytest.fixture
def cli(plain: PlainStack, clean_emulator: str, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    config = tmp_path / "config.toml"
    config.write_text(
        "[[service]]\n"
        f'function = "{plain.function}"\napi_id = "{plain.api_id}"\n'
        'live_alias = "prod"\ncandidate_alias = "test"\nstage_variable = "alias"\n'
    )

    def run(*args: str) -> tuple[int, str, str]:
        common = ["--endpoint-url", clean_emulator, "--region", REGION, "--config", str(config)]
        code = main([*common, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _aliases(url: str) -> dict[str, tuple[str, str]]:
    listed = EmulatorClients(url, REGION).lambda_.list_aliases(FunctionName="orders")["Aliases"]
    return {a["Name"]: (a["FunctionVersion"], a.get("Description", "")) for a in listed}


def _status(cli) -> dict:
    code, out, err = cli("status", "orders", "--json")
    assert code == 0, err
    return json.loads(out)["services"][0]


def test_status_reads_the_mapped_aliases_and_stages_with_no_problem(cli) -> None:
    status = _status(cli)
    assert status["live"]["version"] == "1"
    assert status["stages"] == {"prod": "prod", "test": "test"}
    assert status["problems"] == []


def test_deploy_test_promote_rollback_by_the_real_alias_names(cli, clean_emulator: str) -> None:
    code, out, err = cli("deploy", "orders", "--version", "3", "--reason", "CHG-1", "--yes")
    assert code == 0, err
    assert _aliases(clean_emulator)["test"][0] == "3"
    assert _aliases(clean_emulator)["prod"] == ("1", OWNERS_NOTE)

    code, out, err = cli("test", "orders")
    assert code == 0, out + err
    assert "v3" in out

    code, out, err = cli("promote", "orders", "--reason", "CHG-2", "--yes")
    assert code == 0, out + err
    assert "prod now runs v3 (was v1)" in out
    # The owners' description stays; the version before is the audit trail's.
    assert _aliases(clean_emulator)["prod"] == ("3", OWNERS_NOTE)
    code, out, err = cli("rollback", "orders", "--reason", "CHG-3", "--yes")
    assert code == 0, out + err
    assert "rolled back, prod now runs v1 (was v3)" in out
    assert _aliases(clean_emulator)["prod"] == ("1", OWNERS_NOTE)


def test_production_written_by_anyone_else_since_has_no_previous_version(
    cli, clean_emulator: str
) -> None:
    """The trail's record holds only while production is as bgtui left it. An alias's
    RevisionId is "a unique identifier that changes when you update the alias" (botocore's
    Lambda model, AliasConfiguration), so anyone's write since makes the record stale."""
    assert cli("test", "orders")[0] == 0
    code, out, err = cli("promote", "orders", "--reason", "CHG-2", "--yes")
    assert code == 0, out + err
    lam = EmulatorClients(clean_emulator, REGION).lambda_
    lam.update_alias(FunctionName="orders", Name="prod", FunctionVersion="2")
    code, out, err = cli("rollback", "orders", "--reason", "CHG-3", "--yes")
    assert code == 1
    assert "no previous version of prod is recorded yet" in out + err
    assert "written since" in out + err
    assert _aliases(clean_emulator)["prod"] == ("2", OWNERS_NOTE)


def test_rollback_returns_production_to_the_version_recorded_at_promote(
    cli, clean_emulator: str
) -> None:
    lam = EmulatorClients(clean_emulator, REGION).lambda_
    lam.update_alias(FunctionName="orders", Name="prod", Description="")
    assert cli("test", "orders")[0] == 0
    code, out, err = cli("promote", "orders", "--reason", "CHG-2", "--yes")
    assert code == 0, out + err
    assert _aliases(clean_emulator)["prod"][0] == "2"
    assert _aliases(clean_emulator)["test"][0] == "2"

    code, out, err = cli("rollback", "orders", "--reason", "CHG-3", "--yes")
    assert code == 0, out + err
    assert "rolled back, prod now runs v1 (was v2)" in out
    assert _aliases(clean_emulator)["prod"][0] == "1"
    assert _aliases(clean_emulator)["test"][0] == "2"


def test_a_watch_that_cannot_be_recorded_refuses_the_promote_before_any_write(
    cli, clean_emulator: str
) -> None:
    """The watch window lives in bgtui's record on the production alias: with the owners'
    description kept there, `promote --watch` says so and changes nothing, rather than
    releasing unwatched behind a promise of a watch."""
    assert cli("test", "orders")[0] == 0
    code, out, err = cli("promote", "orders", "--watch", "10m", "--reason", "CHG-2", "--yes")
    assert code == 1
    assert "cannot watch orders: prod's description is its owners'" in out + err
    assert "nothing was changed" in out + err
    assert _aliases(clean_emulator)["prod"] == ("1", OWNERS_NOTE)
