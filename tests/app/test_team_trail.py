"""`bgtui audit --team` against the emulator: two operators on two hosts, both chains checked.

Each host ships its records to the service's audit log group in its own stream, and the
team's trail reads them back with FilterLogEvents (botocore's logs service model:
FilterLogEvents answers `events` with `logStreamName`, `timestamp` and `message`).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from bgtui.app.service import ReleaseService
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_service
from bgtui.cli.main import main
from bgtui.core.audit import record_hash
from tests.emulator_fixtures import DemoStack

FUNCTION = "payments-api"


def operator(
    stack: DemoStack, state: Path, host: str, monkeypatch: pytest.MonkeyPatch
) -> ReleaseService:
    """One operator's release service, with its own state directory, on `host`."""
    monkeypatch.setattr(socket, "gethostname", lambda: host)
    settings = Settings(
        endpoint_url=stack.endpoint_url,
        region=stack.region,
        audit_path=state / "audit.jsonl",
        demo=True,
    )
    return build_service(settings)


def smoke_twice(service: ReleaseService) -> None:
    ref = service.find(FUNCTION)
    for _ in range(2):
        service.smoke(ref)


def test_records_of_two_hosts_both_show_each_chain_verified(
    demo_stack: DemoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = operator(demo_stack, tmp_path / "alice", "bastion-a", monkeypatch)
    smoke_twice(alice)
    bob = operator(demo_stack, tmp_path / "bob", "bastion-b", monkeypatch)
    smoke_twice(bob)

    trail = bob.team_audit(FUNCTION)

    assert trail.ok, trail.summary()
    assert [c.host for c in trail.chains] == ["bastion-a", "bastion-b"]
    assert [c.records for c in trail.chains] == [2, 2]
    assert [c.gaps for c in trail.chains] == [[], []]
    times = [r.record.time for r in trail.records]
    assert times == sorted(times) and {r.host for r in trail.records} == {"bastion-a", "bastion-b"}
    # Only this host's key is here: the other host's signatures are reported as not checked.
    assert [c.signatures_checked for c in trail.chains] == [False, False]


def test_an_edited_record_in_the_log_group_is_named(
    demo_stack: DemoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = operator(demo_stack, tmp_path / "alice", "bastion-a", monkeypatch)
    smoke_twice(alice)
    logs = demo_stack.clients().logs
    group = alice.find(FUNCTION).audit_log_group
    shipped = logs.filter_log_events(logGroupName=group)["events"]
    forged = json.loads(shipped[1]["message"])
    forged["reason"] = "nothing to see here"
    logs.create_log_stream(logGroupName=group, logStreamName="bastion-a/forged")
    logs.put_log_events(
        logGroupName=group,
        logStreamName="bastion-a/forged",
        logEvents=[{"timestamp": shipped[1]["timestamp"], "message": json.dumps(forged)}],
    )

    trail = alice.team_audit(FUNCTION)

    assert not trail.ok
    assert trail.chains[0].problems == [
        "record 2 appears twice with different content (one copy was edited)"
    ]
    assert "bastion-a: record 2 appears twice" in trail.summary()


def test_a_record_edited_with_its_hash_recomputed_breaks_the_link(
    demo_stack: DemoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = operator(demo_stack, tmp_path / "alice", "bastion-a", monkeypatch)
    smoke_twice(alice)
    smoke_twice(alice)
    logs = demo_stack.clients().logs
    group = alice.find(FUNCTION).audit_log_group
    events = logs.filter_log_events(logGroupName=group)["events"]
    docs = [json.loads(e["message"]) for e in events]
    docs[1]["reason"] = "rewritten"
    docs[1]["hash"] = record_hash(docs[1])
    logs.create_log_stream(logGroupName=group, logStreamName="bastion-c/2026-01-01")
    logs.put_log_events(
        logGroupName=group,
        logStreamName="bastion-c/2026-01-01",
        logEvents=[
            {"timestamp": e["timestamp"], "message": json.dumps(d)}
            for e, d in zip(events, docs, strict=True)
        ],
    )

    trail = alice.team_audit(FUNCTION)

    copied = next(c for c in trail.chains if c.host == "bastion-c")
    assert copied.problems == ["record 3 does not chain to the record before it"]


def test_the_cli_lists_both_hosts_and_exits_0(
    demo_stack: DemoStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    smoke_twice(operator(demo_stack, tmp_path / "alice", "bastion-a", monkeypatch))
    smoke_twice(operator(demo_stack, tmp_path / "bob", "bastion-b", monkeypatch))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "carol"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    args = ["--endpoint-url", demo_stack.endpoint_url, "--region", demo_stack.region]

    code = main([*args, "audit", "--team", "--function", FUNCTION, "--json"])

    doc = json.loads(capsys.readouterr().out)
    assert code == 0, doc["summary"]
    assert [(c["host"], c["records"], c["ok"]) for c in doc["chains"]] == [
        ("bastion-a", 2, True),
        ("bastion-b", 2, True),
    ]
    assert main([*args, "audit", "--team", "--since", "soon"]) == 2
