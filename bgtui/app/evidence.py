"""`bgtui evidence`: write a release record bundle, and check one against the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bgtui.core.audit_record import AuditRecord, JsonDoc
from bgtui.core.errors import BadInput, BgtuiError
from bgtui.core.evidence import (
    chain_problems,
    digest,
    find_release,
    first_difference,
    json_text,
    parse_time,
    release_document,
    segment,
)
from bgtui.core.evidence_render import markdown, svg
from bgtui.core.models import LIVE_ALIAS
from bgtui.core.ports import MetricQuery
from bgtui.core.team_trail import TeamTrail, merge

if TYPE_CHECKING:
    from bgtui.app.backend import Backend

AROUND_SWAP = timedelta(minutes=15)
"""Metrics are drawn from this long before the intent to this long after the swap."""


@dataclass(frozen=True)
class EvidenceCheck:
    """What a bundle was checked against, and the first difference (None when it matches)."""

    source: str
    difference: str | None


def write_bundle(backend: Backend, function: str, seq: int, out: Path) -> AuditRecord:
    """Write release.json, release.md and metrics.svg; the trail records release.json's digest."""
    records = backend.audit.records()
    outcome = find_release(records, function, seq)
    chain = segment(records, outcome)
    versions = {v.version: v.code_sha256 for v in backend.catalog.functions.list_versions(function)}
    doc = release_document(chain, outcome, versions, _metrics(backend, function, chain))
    text = json_text(doc)
    out.mkdir(parents=True, exist_ok=True)
    (out / "release.json").write_text(text, encoding="utf-8")
    (out / "release.md").write_text(markdown(doc), encoding="utf-8")
    (out / "metrics.svg").write_text(svg(doc), encoding="utf-8")
    record = _record_bundle(backend, outcome, digest(text))
    # Shipped at once, so the bundle verifies on any host that reads the log group.
    backend.operations.recorder.ship(backend.catalog.find(function), record)
    return record


def _metrics(
    backend: Backend, function: str, chain: list[AuditRecord]
) -> dict[str, list[tuple[str, float]]]:
    start = parse_time(chain[0].time) - AROUND_SWAP
    end = min(parse_time(chain[-1].time) + AROUND_SWAP, backend.clock())
    dims = (("FunctionName", function), ("Resource", f"{function}:{LIVE_ALIAS}"))
    queries = [
        MetricQuery("invocations", "AWS/Lambda", "Invocations", dims, "Sum"),
        MetricQuery("errors", "AWS/Lambda", "Errors", dims, "Sum"),
    ]
    try:
        found = backend.metrics.fetch(queries, start, end)
    except BgtuiError:
        return {}
    return {
        name: [
            (t.strftime("%Y-%m-%dT%H:%M:%SZ"), v)
            for t, v in zip(s.timestamps, s.values, strict=True)
        ]
        for name, s in found.items()
    }


def _record_bundle(backend: Backend, outcome: AuditRecord, sha: str) -> AuditRecord:
    actor = backend.operations.actor()
    return backend.audit.append(
        {
            "action": "evidence",
            "phase": "outcome",
            "function": outcome.function,
            "region": outcome.region,
            "account": outcome.account,
            "actor": {"aws": actor.arn, "local": actor.local},
            "before": {},
            "reason": f"release record of promote {outcome.intent}",
            "gates": [],
            "outcome": "ok",
            "error": "",
            "bundle": {"release": outcome.seq, "sha256": sha},
        }
    )


def verify_bundle(backend: Backend, bundle: Path) -> EvidenceCheck:
    """The bundle against the audit trail here (and its copy) when that trail holds the
    release's records, else against the CloudWatch Logs copy: the team's trail."""
    try:
        text = (bundle / "release.json").read_text(encoding="utf-8")
        doc: JsonDoc = json.loads(text)
    except (OSError, ValueError) as error:
        raise BadInput(f"{bundle} holds no readable release.json: {error}") from None
    itself = _rendered(bundle, doc) or next(iter(chain_problems(doc.get("chain", []))), None)
    if itself:
        return EvidenceCheck("the bundle itself", itself)
    if _held_here(backend, doc):
        here = f"the audit trail here ({backend.settings.audit_path})"
        return EvidenceCheck(
            here, _against_trail(backend, doc, digest(text)) or _against_copy(backend, doc)
        )
    return _against_team_copy(backend, doc, digest(text))


def _held_here(backend: Backend, doc: JsonDoc) -> bool:
    hashes = {r.hash for r in backend.audit.records()}
    return any(record["hash"] in hashes for record in doc["chain"])


def _rendered(bundle: Path, doc: JsonDoc) -> str | None:
    try:
        held = {n: (bundle / n).read_text(encoding="utf-8") for n in ("release.md", "metrics.svg")}
        expected = {"release.md": markdown(doc), "metrics.svg": svg(doc)}
    except OSError as error:
        return f"the bundle is incomplete: {error}"
    except (KeyError, TypeError, ValueError):
        return "release.json does not have the shape of a release record"
    for name, text in held.items():
        found = first_difference(name, text, expected[name])
        if found:
            return found
    return None


def _against_trail(backend: Backend, doc: JsonDoc, sha: str) -> str | None:
    held = {r.seq: r.to_json() for r in backend.audit.records()}
    for record in doc["chain"]:
        if held.get(record["seq"], {}).get("hash") != record["hash"]:
            return f"record {record['seq']} differs from the audit trail"
    recorded = [
        r.get("bundle", {}).get("sha256")
        for r in held.values()
        if r.get("action") == "evidence" and r.get("function") == doc["function"]
    ]
    if sha not in recorded:
        return "release.json differs from every release record digest in the audit trail"
    return None


def _against_copy(backend: Backend, doc: JsonDoc) -> str | None:
    """Each chain record is in the service's audit log group, when that group can be read."""
    if backend.audit_source is None:
        return None
    try:
        group = backend.catalog.find(doc["function"]).audit_log_group
        lines = backend.audit_source.read(group) if group else []
    except BgtuiError:
        return None
    shipped = set()
    for line in lines:
        try:
            shipped.add(json.loads(line.message).get("hash"))
        except (ValueError, AttributeError):
            continue
    for record in doc["chain"]:
        if record["function"] == doc["function"] and record["hash"] not in shipped:
            return f"record {record['seq']} is not in the CloudWatch Logs copy"
    return None


def _against_team_copy(backend: Backend, doc: JsonDoc, sha: str) -> EvidenceCheck:
    """The bundle against the trail, in the service's log group, that holds its records."""
    lacking = "the audit trail here does not hold this release's records"
    copy = "the CloudWatch Logs copy"
    if backend.audit_source is None:
        return EvidenceCheck(copy, f"{lacking}, and this configuration cannot read its copy")
    try:
        group = backend.catalog.find(doc["function"]).audit_log_group
        if not group:
            return EvidenceCheck(copy, f"{lacking}, and the service names no audit log group")
        team = merge(backend.audit_source.read(group))
    except BgtuiError as error:
        return EvidenceCheck(copy, f"{lacking}, and {copy} could not be read: {error}")
    own = [r for r in doc["chain"] if r["function"] == doc["function"]]
    holder = _holder(team, {r["hash"] for r in own})
    if holder is None:
        return EvidenceCheck(f"{copy} ({group})", f"{lacking}, nor does {copy} in {group}")
    return EvidenceCheck(f"{copy} ({group}, trail {holder})", _in_trail(team, holder, doc, sha))


def _holder(team: TeamTrail, hashes: set[str]) -> str | None:
    return next((r.host for r in team.records if r.record.hash in hashes), None)


def _in_trail(team: TeamTrail, holder: str, doc: JsonDoc, sha: str) -> str | None:
    chain = next(c for c in team.chains if c.host == holder)
    held = {r.record.seq: r.record.to_json() for r in team.records if r.host == holder}
    for record in doc["chain"]:
        if record["function"] != doc["function"]:
            continue  # another service's record: shipped to that service's group
        if held.get(record["seq"], {}).get("hash") != record["hash"]:
            return f"record {record['seq']} differs from the CloudWatch Logs copy"
    if not chain.ok:
        return f"the copy's chain {holder} is broken: {chain.problems[0]}"
    recorded = [
        r.get("bundle", {}).get("sha256")
        for r in held.values()
        if r.get("action") == "evidence" and r.get("function") == doc["function"]
    ]
    if sha not in recorded:
        return "release.json differs from every release record digest in the CloudWatch Logs copy"
    return None
