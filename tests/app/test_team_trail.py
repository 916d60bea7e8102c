"""`bgtui audit --team` against the emulator: operators on two hosts or one, each chain checked.

Each trail ships its records to the service's audit log group in streams of its own, and the
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


def machine(chain_name: str) -> str:
    """The host part of a chain's name: `host/trail-id`."""
    return chain_name.split("/")[0]


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
    assert [c.host for c in trail.chains] == [alice.backend.audit_host, bob.backend.audit_host]
    assert [machine(c.host) for c in trail.chains] == ["bastion-a", "bastion-b"]
    assert [c.records for c in trail.chains] == [2, 2]
    assert [c.gaps for c in trail.chains] == [[], []]
    times = [r.record.time for r in trail.records]
    assert times == sorted(times)
    assert {machine(r.host) for r in trail.records} == {"bastion-a", "bastion-b"}
    # Only this host's key is here: the other host's signatures are reported as not checked.
    assert [c.signatures_checked for c in trail.chains] == [False, False]


def test_two_state_directories_on_one_host_are_two_chains_each_verified(
    demo_stack: DemoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = operator(demo_stack, tmp_path / "alice", "bastion", monkeypatch)
    smoke_twice(alice)
    bob = operator(demo_stack, tmp_path / "bob", "bastion", monkeypatch)
    smoke_twice(bob)
    smoke_twice(alice)

    trail = bob.team_audit(FUNCTION)

    assert trail.ok, trail.summary()
    hosts = sorted([alice.backend.audit_host, bob.backend.audit_host])
    assert [c.host for c in trail.chains] == hosts and hosts[0] != hosts[1]
    assert {c.host: c.records for c in trail.chains} == {
        alice.backend.audit_host: 4,
        bob.backend.audit_host: 2,
    }
    assert all(machine(c.host) == "bastion" and not c.gaps for c in trail.chains)
    assert trail.summary() == "team trail verified: 6 records from 1 hosts (2 trails)"


def test_an_edit_in_one_of_two_trails_on_one_host_is_named(
    demo_stack: DemoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = operator(demo_stack, tmp_path / "alice", "bastion", monkeypatch)
    smoke_twice(alice)
    bob = operator(demo_stack, tmp_path / "bob", "bastion", monkeypatch)
    smoke_twice(bob)
    logs = demo_stack.clients().logs
    group = bob.find(FUNCTION).audit_log_group
    events = logs.filter_log_events(logGroupName=group)["events"]
    bobs = [e for e in events if e["logStreamName"].startswith(bob.backend.audit_host + "/")]
    forged = json.loads(bobs[0]["message"])
    forged["reason"] = "nothing to see here"
    logs.put_log_events(
        logGroupName=group,
        logStreamName=bobs[0]["logStreamName"],
        logEvents=[{"timestamp": bobs[0]["timestamp"], "message": json.dumps(forged)}],
    )

    trail = alice.team_audit(FUNCTION)

    assert not trail.ok
    chains = {c.host: c for c in trail.chains}
    assert chains[alice.backend.audit_host].ok
    assert chains[bob.backend.audit_host].problems == [
        "record 1 appears twice with different content (one copy was edited)"
    ]
    assert trail.summary().startswith(f"team trail BROKEN: {bob.backend.audit_host}: record 1")


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
    forged_stream = f"{alice.backend.audit_host}/forged"
    logs.create_log_stream(logGroupName=group, logStreamName=forged_stream)
    logs.put_log_events(
        logGroupName=group,
        logStreamName=forged_stream,
        logEvents=[{"timestamp": shipped[1]["timestamp"], "message": json.dumps(forged)}],
    )

    trail = alice.team_audit(FUNCTION)

    assert not trail.ok
    assert trail.chains[0].problems == [
        "record 2 appears twice with different content (one copy was edited)"
    ]
    assert f"{alice.backend.audit_host}: record 2 appears twice" in trail.summary()


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
    assert [(machine(c["host"]), c["records"], c["ok"]) for c in doc["chains"]] == [
        ("bastion-a", 2, True),
        ("bastion-b", 2, True),
    ]
    assert main([*args, "audit", "--team", "--since", "soon"]) == 2
