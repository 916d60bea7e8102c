"""Merging shipped audit lines: time order, per-host chains, gaps, edits and signatures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bgtui.core.audit import AuditTrail
from bgtui.core.shipped import ShippedLine
from bgtui.core.team_trail import merge, stream_host

GROUP = "/bgtui/audit/payments-api"
KEY = b"k" * 32


def host_lines(
    tmp_path: Path, host: str, start: datetime, count: int, key: bytes | None = None
) -> list[ShippedLine]:
    moments = iter(start + timedelta(minutes=2 * n) for n in range(count))
    trail = AuditTrail(
        tmp_path / host / "audit.jsonl", signing_key=key, clock=lambda: next(moments)
    )
    for n in range(count):
        trail.append(
            {"action": "test", "phase": "outcome", "function": "payments-api", "reason": f"r{n}"}
        )
    return [
        ShippedLine(GROUP, f"{host}/2026-01-05", json.dumps(r.to_json(), sort_keys=True))
        for r in trail.records()
    ]


def test_records_of_two_hosts_interleave_by_time(tmp_path: Path) -> None:
    t0 = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    lines = host_lines(tmp_path, "a", t0, 3) + host_lines(
        tmp_path, "b", t0 + timedelta(minutes=1), 2
    )
    trail = merge(lines)
    assert trail.ok
    assert [(r.host, r.record.seq) for r in trail.records] == [
        ("a", 1),
        ("b", 1),
        ("a", 2),
        ("b", 2),
        ("a", 3),
    ]


def test_missing_sequence_numbers_are_gaps_not_breaks(tmp_path: Path) -> None:
    lines = host_lines(tmp_path, "a", datetime(2026, 1, 5, tzinfo=UTC), 6)
    trail = merge([lines[0], lines[3], lines[4]])
    (chain,) = trail.chains
    assert chain.ok and chain.gaps == ["2-3"]
    assert "not in the groups read: 2-3" in chain.summary()


def test_signatures_are_checked_only_where_the_host_s_key_is_known(tmp_path: Path) -> None:
    lines = host_lines(tmp_path, "a", datetime(2026, 1, 5, tzinfo=UTC), 2, key=KEY)
    assert merge(lines, {"a": KEY}).chains[0].signatures_checked
    assert merge(lines).chains[0].summary().startswith("a: 2 records, signatures not checked")
    wrong = merge(lines, {"a": b"x" * 32})
    assert wrong.chains[0].problems[0] == "record 1 has a wrong signature"


def test_a_line_that_is_not_a_record_is_named(tmp_path: Path) -> None:
    trail = merge([ShippedLine(GROUP, "a/2026-01-05", "hello")])
    assert not trail.ok and trail.problems == [
        f"{GROUP}/a/2026-01-05 holds a line that is not a record"
    ]


def test_the_host_is_the_stream_name_without_its_day() -> None:
    assert stream_host("ip-10-0-0-1.ec2.internal/2026-01-05") == "ip-10-0-0-1.ec2.internal"


def test_a_trail_s_stream_names_its_host_and_trail_and_older_streams_still_read() -> None:
    assert stream_host("bastion/3f2a9c1d/2026-01-05") == "bastion/3f2a9c1d"
    assert stream_host("bastion/2026-01-05") == "bastion"


def test_two_trails_on_one_host_are_two_chains(tmp_path: Path) -> None:
    t0 = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    first = host_lines(tmp_path / "x", "a", t0, 3)
    second = host_lines(tmp_path / "y", "a", t0 + timedelta(minutes=1), 2)
    lines = [ShippedLine(GROUP, f"a/one/{line.stream[2:]}", line.message) for line in first] + [
        ShippedLine(GROUP, f"a/two/{line.stream[2:]}", line.message) for line in second
    ]
    trail = merge(lines)
    assert trail.ok, trail.summary()
    assert [(c.host, c.records) for c in trail.chains] == [("a/one", 3), ("a/two", 2)]
    assert trail.summary() == "team trail verified: 5 records from 1 hosts (2 trails)"
    # The same lines in one host's streams (as before trail ids) interleave two chains.
    assert not merge([ShippedLine(GROUP, "a/2026-01-05", line.message) for line in lines]).ok
