"""`bgtui adopt` against the emulator: a plain two-alias stack (prod + test, stage variable
`alias`, no tags) is brought into the blue/green model, then operated by every command, while
its old aliases keep pointing where they did. A failure part-way is explained and resumed.

API shapes checked against botocore's service models (lambda 2015-03-31 CreateAlias,
AddPermission with Qualifier, TagResource; apigateway PutIntegration, UpdateStage,
CreateDeployment) in .venv/lib/python3.11/site-packages/botocore/data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgtui.adapters.aws.adoption import AwsAdoption
from bgtui.cli.main import main
from bgtui.core.errors import EndpointUnreachable
from bgtui.emulator.clients import EmulatorClients
from tests.adopt.plain_stack import OWNERS_NOTE, PlainStack, make_plain_stack

REGION = "us-east-1"


@pytest.fixture
def plain(clean_emulator: str) -> PlainStack:
    return make_plain_stack(EmulatorClients(clean_emulator, REGION))


@pytest.fixture
def cli(plain: PlainStack, clean_emulator: str, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--endpoint-url", clean_emulator, "--region", REGION, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _aliases(url: str) -> dict[str, tuple[str, str]]:
    listed = EmulatorClients(url, REGION).lambda_.list_aliases(FunctionName="orders")["Aliases"]
    return {a["Name"]: (a["FunctionVersion"], a.get("Description", "")) for a in listed}


def _stages(url: str, api_id: str) -> dict[str, dict[str, str]]:
    items = EmulatorClients(url, REGION).apigateway.get_stages(restApiId=api_id)["item"]
    return {s["stageName"]: s.get("variables", {}) for s in items}


def _audit(tmp_path: Path) -> list[dict]:
    lines = (tmp_path / "state" / "bgtui" / "emulator-audit.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if json.loads(line)["action"] == "adopt"]


ORIGINAL = {"prod": ("1", OWNERS_NOTE), "test": ("2", "")}


def test_dry_run_prints_the_plan_and_changes_nothing(cli, clean_emulator: str) -> None:
    code, out, err = cli("adopt", "orders", "--reason", "CHG-9", "--dry-run")
    assert code == 0, err
    assert "production serves prod at v1" in out
    assert "[todo] create alias blue at version 1" in out
    assert "[todo] route integration ANY / to ${stageVariables.lambdaAlias}" in out
    assert "administrator" in out
    assert _aliases(clean_emulator) == ORIGINAL


def test_without_a_terminal_or_yes_adopt_refuses_and_writes_nothing(
    cli, clean_emulator: str
) -> None:
    code, _out, err = cli("adopt", "orders", "--reason", "CHG-9")
    assert code == 1
    assert "pass --yes" in err
    assert _aliases(clean_emulator) == ORIGINAL


def test_read_only_refuses_adopt(cli, clean_emulator: str, tmp_path: Path) -> None:
    code, out, err = cli("--read-only", "adopt", "orders", "--reason", "CHG-9", "--yes")
    assert code == 1, out + err
    assert "read-only" in err
    assert _aliases(clean_emulator) == ORIGINAL
    assert [r["outcome"] for r in _audit(tmp_path)] == ["refused"]


def test_an_unknown_function_is_one_line_and_exit_4(cli) -> None:
    code, _out, err = cli("adopt", "nope", "--api-id", "abc", "--reason", "x", "--dry-run")
    assert code == 4
    assert err.count("\n") == 1 and "Traceback" not in err


def test_adopt_then_every_operation_works_and_the_old_aliases_stay(
    cli, plain: PlainStack, clean_emulator: str, tmp_path: Path
) -> None:
    code, out, err = cli("adopt", "orders", "--reason", "CHG-10", "--yes")
    assert code == 0, out + err
    aliases = _aliases(clean_emulator)
    assert {a: aliases[a][0] for a in ("blue", "green", "live")} == {
        "blue": "1",
        "green": "1",
        "live": "1",
    }
    assert {a: aliases[a] for a in ORIGINAL} == ORIGINAL
    stages = _stages(clean_emulator, plain.api_id)
    assert stages["prod"] == {"alias": "prod", "lambdaAlias": "live"}
    assert stages["test"] == {"alias": "test", "lambdaAlias": "green"}
    assert 'module "orders"' in out and 'to = module.orders.aws_lambda_alias.this["live"]' in out
    records = _audit(tmp_path)
    assert [r["phase"] for r in records][:2] == ["intent", "step"]
    assert records[-1]["phase"] == "outcome" and records[-1]["outcome"] == "ok"
    assert sum(r["phase"] == "step" for r in records) == 11

    code, out, err = cli("status", "orders", "--json")
    assert code == 0, err
    status = json.loads(out)["services"][0]
    assert status["live"] == {"alias": "live", "colour": "blue", "version": "1"}
    assert status["stages"] == {"prod": "live", "test": "green"}

    assert cli("deploy", "orders", "--version", "3", "--reason", "CHG-11", "--yes")[0] == 0
    code, out, err = cli("test", "orders")
    assert code == 0, out + err
    code, out, err = cli("promote", "orders", "--reason", "CHG-12", "--yes")
    assert code == 0, out + err
    assert _aliases(clean_emulator)["live"][0] == "3"
    code, out, err = cli("rollback", "orders", "--reason", "CHG-13", "--yes")
    assert code == 0, out + err
    assert _aliases(clean_emulator)["live"][0] == "1"
    assert {a: _aliases(clean_emulator)[a] for a in ORIGINAL} == ORIGINAL

    code, out, err = cli("adopt", "orders", "--reason", "CHG-14", "--yes")
    assert code == 0, err
    assert "every step is done" in out


def test_a_failure_part_way_is_explained_by_status_and_adopt_resumes(
    cli, plain: PlainStack, clean_emulator: str, tmp_path: Path, monkeypatch
) -> None:
    def unreachable(self, api_id, integration, uri) -> None:
        raise EndpointUnreachable("no answer from API Gateway")

    with monkeypatch.context() as patched:
        patched.setattr(AwsAdoption, "route_integration", unreachable)
        code, out, err = cli("adopt", "orders", "--reason", "CHG-20", "--yes")
    assert code == 4
    assert "no answer from API Gateway" in err
    assert {"blue", "green", "live"} <= set(_aliases(clean_emulator))

    code, out, err = cli("status", "orders")
    assert code == 4
    assert "adopting orders stopped after 8 step(s)" in err
    assert "again to resume" in err
    code, out, err = cli("status")
    assert "adopting orders stopped after 8 step(s)" in err, "every service's status says so too"

    code, out, err = cli("adopt", "orders", "--reason", "CHG-21", "--yes")
    assert code == 0, out + err
    assert "[done] create alias live at version 1" in out
    assert "[todo] route integration ANY / to" in out
    resumed = _audit(tmp_path)[-1]
    assert resumed["outcome"] == "ok"
    intent = next(r for r in _audit(tmp_path) if r["seq"] == resumed["intent"])
    assert intent["steps"][0] == "route-integration ANY /"
    code, out, err = cli("status", "orders", "--json")
    assert code == 0, err
    assert "stopped after" not in cli("status")[2], "a finished adopt is not told again"
    assert json.loads(out)["services"][0]["live"] == {
        "alias": "live",
        "colour": "blue",
        "version": "1",
    }
