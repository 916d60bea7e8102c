"""The release record: one promote's audit records, gates, smoke, approvals, watch and metrics."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bgtui.core.audit import record_hash
from bgtui.core.audit_record import AuditRecord, JsonDoc
from bgtui.core.errors import NotFound

WATCH_ACTIONS = ("watch", "auto-rollback")
FILES = ("release.json", "release.md", "metrics.svg")


def find_release(records: Sequence[AuditRecord], function: str, seq: int = 0) -> AuditRecord:
    """The outcome of the promote `seq` names (its intent or outcome), else the latest one."""
    outcomes = [
        r
        for r in records
        if r.function == function and r.action == "promote" and r.is_outcome and r.intent
    ]
    if seq:
        outcomes = [r for r in outcomes if seq in (r.seq, r.intent)]
    if not outcomes:
        named = f" with record {seq}" if seq else ""
        raise NotFound(f"no promote of {function}{named} in the audit trail")
    return outcomes[-1]


def segment(records: Sequence[AuditRecord], outcome: AuditRecord) -> list[AuditRecord]:
    """The records a reviewer needs, as one contiguous run of the chain: from the smoke test of
    the promoted version (else the intent) to the outcome, and any watch records after it."""
    intent_seq = outcome.intent or outcome.seq
    version = outcome.target.version if outcome.target else ""
    first = intent_seq
    for r in records:
        own = r.seq < intent_seq and r.function == outcome.function and r.action == "test"
        if own and r.tested is not None and r.tested.version == version:
            first = r.seq
    last = outcome.seq
    for r in records:
        if r.seq <= outcome.seq or r.function != outcome.function:
            continue
        if r.action in ("promote", "rollback", "deploy") and r.phase == "intent":
            break
        if r.action in WATCH_ACTIONS:
            last = r.seq
    return [r for r in records if first <= r.seq <= last]


def release_document(
    chain: Sequence[AuditRecord],
    outcome: AuditRecord,
    code_sha256: Mapping[str, str],
    metrics: Mapping[str, Sequence[tuple[str, float]]],
) -> JsonDoc:
    """The bundle's JSON: everything derived from `chain`, plus code digests and metrics."""
    intent = next((r for r in chain if r.seq == outcome.intent), outcome)
    own = [r for r in chain if r.function == outcome.function]
    before = dict(intent.before)
    after = _after_of(outcome)
    versions = {
        "from": (before.get("live") or {}).get("version", ""),
        "to": outcome.target.version if outcome.target else "",
    }
    return {
        "function": outcome.function,
        "region": outcome.region,
        "account": outcome.account,
        "release": {"intent": intent.seq, "outcome": outcome.seq},
        "who": {"aws": intent.actor.aws, "local": intent.actor.local},
        "when": {"intent": intent.time, "outcome": outcome.time},
        "why": intent.reason,
        "outcome": outcome.outcome or "",
        "error": outcome.error,
        "versions": versions,
        "code_sha256": {v: code_sha256.get(v, "") for v in versions.values() if v},
        "before": before,
        "after": after,
        "gates": [g.as_dict() for g in intent.gates],
        "smoke": [_smoke(r) for r in own if r.action == "test" and r.tested is not None],
        "approvals": [r.to_json() for r in own if r.action == "approve"],
        "watch": [r.to_json() for r in own if r.action in WATCH_ACTIONS],
        "metrics": {name: [list(point) for point in points] for name, points in metrics.items()},
        "chain": [r.to_json() for r in chain],
    }


def _after_of(outcome: AuditRecord) -> dict[str, Any]:
    doc = outcome.to_json().get("after")
    return dict(doc) if isinstance(doc, dict) else {}


def _smoke(record: AuditRecord) -> JsonDoc:
    tested = record.tested
    assert tested is not None
    return {
        "seq": record.seq,
        "time": record.time,
        "version": tested.version,
        "colour": tested.colour,
        "outcome": record.outcome or "",
        "summary": tested.summary,
        "results": [dict(r) for r in tested.results],
    }


def json_text(doc: JsonDoc) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def chain_problems(chain: Sequence[JsonDoc]) -> list[str]:
    """Edits and breaks inside the bundle's own copy of the chain."""
    problems = []
    for index, doc in enumerate(chain):
        if doc.get("hash") != record_hash(doc):
            problems.append(f"record {doc.get('seq')} in release.json does not match its hash")
        elif index and doc.get("prev") != chain[index - 1].get("hash"):
            problems.append(f"record {doc.get('seq')} in release.json does not chain")
    return problems


def first_difference(name: str, held: str, expected: str) -> str | None:
    """The first line where a file differs from what it should be, or None."""
    if held == expected:
        return None
    held_lines, expected_lines = held.splitlines(), expected.splitlines()
    for number, (a, b) in enumerate(zip(held_lines, expected_lines, strict=False), start=1):
        if a != b:
            return f"{name} line {number} differs from the release record: {a.strip()[:60]!r}"
    return f"{name} has {len(held_lines)} lines, the release record gives {len(expected_lines)}"


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
