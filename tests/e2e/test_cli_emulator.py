"""The headless CLI against the embedded emulator over real HTTP: the whole blue/green cycle."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import boto3
import pytest

from bgtui.cli.main import main
from tests.emulator_fixtures import DemoStack


@pytest.fixture
def cli(demo_stack: DemoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--endpoint-url", demo_stack.endpoint_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.stack = demo_stack  # type: ignore[attr-defined]
    # An emulator's records go to their own trail, never to the operator's real one.
    run.audit_path = tmp_path / "state" / "bgtui" / "emulator-audit.jsonl"  # type: ignore[attr-defined]
    run.real_audit_path = tmp_path / "state" / "bgtui" / "audit.jsonl"  # type: ignore[attr-defined]
    return run


def status(cli, fn: str) -> dict:
    code, out, err = cli("status", fn, "--json")
    assert code == 0, err
    return json.loads(out)["services"][0]


def lambda_client(stack: DemoStack):
    return boto3.client("lambda", endpoint_url=stack.endpoint_url, region_name=stack.region)


def test_status_json_has_the_documented_fields(cli) -> None:
    code, out, _ = cli("status", "--json")
    assert code == 0
    services = {s["function"]: s for s in json.loads(out)["services"]}
    assert {"payments-api", "ledger-writer"} <= set(services)
    payments = services["payments-api"]
    assert payments["live"]["colour"] in ("blue", "green")
    live_colour = payments["live"]["colour"]
    assert payments["live"]["version"] == payments[live_colour]["version"]
    assert payments["stages"] == {
        "prod": "live",
        "test": "green" if live_colour == "blue" else "blue",
    }
    assert payments["region"] == "us-east-1"
    assert "previous" in payments and isinstance(payments["alarms"], list)


def demo_zip(path: Path, healthy: bool) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return {}\n")
        archive.writestr("bgtui-demo.json", json.dumps({"healthy": healthy, "build": path.name}))
    return path


def test_deploy_test_promote_rollback_round_trip(cli, tmp_path: Path) -> None:
    before = status(cli, "payments-api")
    live = before["live"]["colour"]
    idle = "green" if live == "blue" else "blue"
    build = demo_zip(tmp_path / "build-42.zip", healthy=True)
    code, out, err = cli("deploy", "payments-api", "--zip", str(build), "--reason", "r1", "--yes")
    assert code == 0, err
    deployed = status(cli, "payments-api")
    assert int(deployed[idle]["version"]) > int(before[idle]["version"])
    assert deployed["live"] == before["live"]
    code, out, err = cli("test", "payments-api")
    assert code == 0, out + err
    code, out, err = cli("promote", "payments-api", "--to", idle, "--reason", "CHG-7", "--yes")
    assert code == 0, err
    after = status(cli, "payments-api")
    assert after["live"] == {
        "alias": "live",
        "colour": idle,
        "version": deployed[idle]["version"],
    }
    assert after["previous"] == {"colour": live, "version": before["live"]["version"]}
    assert after["stages"]["test"] == live
    code, out, err = cli("rollback", "payments-api", "--from", idle, "--reason", "errors", "--yes")
    assert code == 0, err
    back = status(cli, "payments-api")
    assert back["live"] == before["live"]
    assert back["stages"]["test"] == idle
    code, out, _ = cli("audit", "--verify")
    assert code == 0 and "chain intact" in out


def test_stale_revision_is_exit_3_and_nothing_changes(cli) -> None:
    from bgtui.app.settings import load_settings
    from bgtui.app.wiring import build_backend
    from bgtui.core.errors import Conflict

    stack = cli.stack
    assert cli("test", "payments-api")[0] == 0
    backend = build_backend(load_settings(endpoint_url=stack.endpoint_url))
    change = backend.operations.prepare_promote(
        backend.catalog.find("payments-api"), reason="CHG-1"
    )
    client = lambda_client(stack)
    live = client.get_alias(FunctionName="payments-api", Name="live")
    client.update_alias(
        FunctionName="payments-api",
        Name="live",
        FunctionVersion=live["FunctionVersion"],
        Description=live["Description"],
        RevisionId=live["RevisionId"],
    )
    with pytest.raises(Conflict) as caught:
        backend.operations.execute(change, "payments-api")
    assert caught.value.exit_code == 3
    assert (
        client.get_alias(FunctionName="payments-api", Name="live")["FunctionVersion"]
        == (live["FunctionVersion"])
    )
    assert backend.audit.records()[-1].outcome == "conflict"


def test_promote_to_the_live_colour_exits_3(cli) -> None:
    live = status(cli, "payments-api")["live"]["colour"]
    code, _, err = cli("promote", "payments-api", "--to", live, "--reason", "x", "--yes")
    assert code == 3 and "is live, not idle" in err


def test_broken_candidate_blocked_by_smoke_and_alarm(cli, demo_traffic) -> None:
    code, out, _ = cli("test", "ledger-writer")
    assert code == 1 and "FAIL" in out
    code, out, err = cli("promote", "ledger-writer", "--reason", "CHG-9", "--yes")
    assert code == 1
    assert "smoke-passed" in err and "idle-alarms" in err
    assert status(cli, "ledger-writer")["live"]["version"] == "2"


def smoke_json(cli, fn: str) -> tuple[int, dict]:
    code, out, err = cli("test", fn, "--json")
    assert out, err
    return code, json.loads(out)


def test_test_requests_the_test_stage_and_says_which_version_answered(cli) -> None:
    idle = status(cli, "payments-api")
    idle_version = idle[idle["stages"]["test"]]["version"]
    code, doc = smoke_json(cli, "payments-api")
    assert code == 0 and doc["passed"] and doc["version"] == idle_version
    assert [(r["kind"], r["ran"], r["passed"], r["executed_version"]) for r in doc["results"]] == [
        ("invoke", True, True, idle_version),
        ("http", True, True, idle_version),
    ]
    http = doc["results"][1]
    assert "/_user_request_/ → 200" in http["detail"]


def test_a_test_stage_pointed_at_the_live_colour_fails_naming_the_version(cli) -> None:
    before = status(cli, "payments-api")
    live, idle = before["live"]["colour"], before["stages"]["test"]
    clients = cli.stack.clients()
    arn = clients.lambda_.get_function(FunctionName="payments-api")["Configuration"]["FunctionArn"]
    clients.apigateway.update_stage(
        restApiId=clients.lambda_.list_tags(Resource=arn)["Tags"]["bluegreen:api-id"],
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": live}],
    )
    code, doc = smoke_json(cli, "payments-api")
    http = doc["results"][1]
    assert code == 1 and not doc["passed"]
    assert (http["ran"], http["passed"], http["executed_version"]) == (
        True,
        False,
        before["live"]["version"],
    )
    expected = (
        f"answered by v{before['live']['version']} (the live version: production answered) "
        f"through {live}, "
        f"not the idle {idle} v{before[idle]['version']}"
    )
    assert expected in http["detail"]
    code, _, err = cli("promote", "payments-api", "--reason", "CHG-3", "--yes")
    assert code == 1 and "smoke-passed" in err


def code_zip(path: Path, source: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("index.py", source)
    return path


HEALTHY_CODE = """
import json

def handler(event, context):
    headers = {"X-Bgtui-Version": context.function_version}
    return {"statusCode": 200, "headers": headers, "body": json.dumps({"ok": True})}
"""
RAISING_CODE = """
def handler(event, context):
    raise RuntimeError("database password rejected")
"""


def test_the_code_deployed_is_the_code_tested(cli, tmp_path: Path) -> None:
    answered = {}
    for name, source in (("good", HEALTHY_CODE), ("bad", RAISING_CODE)):
        build = code_zip(tmp_path / f"{name}.zip", source)
        code, _, err = cli("deploy", "payments-api", "--zip", str(build), "--reason", name, "--yes")
        assert code == 0, err
        deployed = status(cli, "payments-api")
        version = deployed[deployed["stages"]["test"]]["version"]
        code, doc = smoke_json(cli, "payments-api")
        assert code == (0 if name == "good" else 1), doc
        answered[name] = (version, [r["executed_version"] for r in doc["results"]])
    good, bad = answered["good"][0], answered["bad"][0]
    assert good != bad and answered["good"][1] == [good, good]
    # A 502 from API Gateway carries no version; the invocation's ExecutedVersion does.
    assert answered["bad"][1] == [bad, None]
    invoke, http = doc["results"]
    assert http["ran"] and not http["passed"]
    assert "function error Unhandled" in invoke["detail"] and "RuntimeError" in invoke["detail"]
    assert "→ 502" in http["detail"]


def test_missing_reason_is_refused_naming_the_gate(cli) -> None:
    assert cli("test", "payments-api")[0] == 0
    code, _, err = cli("promote", "payments-api", "--yes")
    assert code == 1 and "gate reason" in err


def test_read_only_refuses_mutations(cli) -> None:
    before = status(cli, "payments-api")
    for args in (
        ("promote", "payments-api", "--reason", "x", "--yes"),
        ("rollback", "payments-api", "--reason", "x", "--yes"),
        ("deploy", "payments-api", "--from-latest", "--reason", "x", "--yes"),
    ):
        code, _, err = cli("--read-only", *args)
        assert code == 1 and "read-only" in err
    after = status(cli, "payments-api")
    assert {k: v for k, v in after.items() if k != "read_at"} == {
        k: v for k, v in before.items() if k != "read_at"
    }


def test_no_terminal_without_yes_refuses_and_records(cli) -> None:
    assert cli("test", "payments-api")[0] == 0
    code, _, err = cli("promote", "payments-api", "--reason", "x")
    assert code == 1 and "no terminal" in err


def test_deploy_from_an_unchanged_latest_says_so_and_publishes_nothing(cli) -> None:
    """PublishVersion returns the last version when code and configuration are unchanged
    (AWS Lambda API reference, PublishVersion); the deploy must not announce a new version."""
    before = status(cli, "payments-api")
    idle = "green" if before["live"]["colour"] == "blue" else "blue"
    held = before[idle]["version"]
    code, out, err = cli("deploy", "payments-api", "--from-latest", "--reason", "rebuild", "--yes")
    assert code == 0, err
    assert f"$LATEST is unchanged: {idle} already holds v{held}" in out
    assert status(cli, "payments-api")[idle]["version"] == held
    listed = lambda_client(cli.stack).list_versions_by_function(FunctionName="payments-api")
    assert [v["Version"] for v in listed["Versions"]] == ["$LATEST", "1", "2"]


def test_emulator_records_are_marked_kept_apart_and_show_the_account(cli) -> None:
    assert cli("test", "payments-api")[0] == 0
    assert not cli.real_audit_path.exists(), "an emulator run wrote to the real audit trail"
    records = [json.loads(line) for line in cli.audit_path.read_text().splitlines()]
    assert records and all(r["endpoint"] == cli.stack.endpoint_url for r in records)
    assert all(r["account"] == "123456789012" for r in records)
    code, out, _ = cli("audit")
    assert code == 0
    assert "ACCOUNT" in out.splitlines()[0] and "123456789012 (emulator)" in out


def test_audit_verify_fails_after_an_edit(cli) -> None:
    assert cli("test", "payments-api")[0] == 0
    assert cli("promote", "payments-api", "--reason", "CHG-1", "--yes")[0] == 0
    path: Path = cli.audit_path
    lines = path.read_text().splitlines()
    record = json.loads(lines[1])
    record["reason"] = "someone else"
    lines[1] = json.dumps(record, sort_keys=True)
    path.write_text("\n".join(lines) + "\n")
    code, out, _ = cli("audit", "--verify")
    assert code == 1 and "edited" in out


@pytest.mark.parametrize(
    "args",
    [
        ("promote",),
        ("promote", "payments-api", "--to", "purple", "--reason", "x"),
        ("deploy", "payments-api", "--zip", "/nonexistent.zip", "--reason", "x"),
        ("deploy", "payments-api", "--version", "abc", "--reason", "x"),
        ("status", "no-such-service"),
        ("emulator", "--port", "99999"),
    ],
)
def test_bad_input_is_one_line_and_documented_code(cli, args: tuple[str, ...]) -> None:
    code, _, err = cli(*args)
    assert code in (2, 4)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
