"""The team's trail: every host's shipped audit records, merged by time, each chain checked."""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bgtui.core.audit import GENESIS, record_hash, record_hmac
from bgtui.core.audit_record import AuditRecord, JsonDoc
from bgtui.core.shipped import ShippedLine


def stream_host(stream: str) -> str:
    """The trail a stream belongs to: `host/trail` of `host/trail/YYYY-MM-DD`.

    Older streams, named `host/YYYY-MM-DD`, belong to `host`: one trail per host then.
    """
    return stream.rsplit("/", 1)[0] if "/" in stream else stream


@dataclass(frozen=True)
class TeamRecord:
    """One record of the team's trail and the host whose chain holds it."""

    host: str
    record: AuditRecord


@dataclass
class HostChain:
    """What one host's records in the log groups show about its chain."""

    host: str
    records: int = 0
    signed: int = 0
    signatures_checked: bool = False
    problems: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    """Sequence numbers not in the groups read: another service's records, or never shipped."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        signatures = "signatures checked" if self.signatures_checked else "signatures not checked"
        if self.signed == 0:
            signatures = "unsigned"
        state = "chain intact" if self.ok else f"BROKEN: {'; '.join(self.problems)}"
        gaps = f"; not in the groups read: {', '.join(self.gaps)}" if self.gaps else ""
        return f"{self.host}: {self.records} records, {signatures}, {state}{gaps}"


@dataclass
class TeamTrail:
    """Every host's records, oldest first, and each host's chain."""

    records: list[TeamRecord] = field(default_factory=list)
    chains: list[HostChain] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Lines in the groups that are not audit records at all."""

    @property
    def ok(self) -> bool:
        return not self.problems and all(chain.ok for chain in self.chains)

    def summary(self) -> str:
        hosts = len({chain.host.split("/")[0] for chain in self.chains})
        trails = f" ({len(self.chains)} trails)" if len(self.chains) > hosts else ""
        if self.ok:
            return f"team trail verified: {len(self.records)} records from {hosts} hosts{trails}"
        first = next((p for c in self.chains for p in c.problems), None) or self.problems[0]
        host = next((c.host for c in self.chains if first in c.problems), "")
        return f"team trail BROKEN: {host + ': ' if host else ''}{first}"


def merge(lines: Iterable[ShippedLine], keys: Mapping[str, bytes] | None = None) -> TeamTrail:
    """Merge shipped lines; `keys` maps a host to its HMAC key where that key is known here.

    Without a host's key its chain is checked for continuity and content only: every
    record's hash matches its content, consecutive records link, and no sequence number
    holds two different records.
    """
    trail = TeamTrail()
    by_host: dict[str, dict[int, JsonDoc]] = {}
    duplicates: dict[str, list[str]] = {}
    for line in lines:
        doc = _document(line, trail)
        if doc is None:
            continue
        host = stream_host(line.stream)
        seen = by_host.setdefault(host, {})
        seq = int(doc["seq"])
        if seq in seen and seen[seq] != doc:
            duplicates.setdefault(host, []).append(
                f"record {seq} appears twice with different content (one copy was edited)"
            )
            continue
        seen[seq] = doc
    for host in sorted(by_host):
        docs = by_host[host]
        chain = check_chain(host, docs, (keys or {}).get(host))
        chain.problems[:0] = duplicates.get(host, [])
        trail.chains.append(chain)
        trail.records.extend(TeamRecord(host, AuditRecord.from_json(d)) for d in docs.values())
    trail.records.sort(key=lambda r: (r.record.time, r.host, r.record.seq))
    return trail


def _document(line: ShippedLine, trail: TeamTrail) -> JsonDoc | None:
    try:
        doc = json.loads(line.message)
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("seq"), int):
        trail.problems.append(f"{line.log_group}/{line.stream} holds a line that is not a record")
        return None
    return doc


def check_chain(host: str, docs: Mapping[int, JsonDoc], key: bytes | None) -> HostChain:
    """Check one host's records, which may be a part of its chain (the groups read)."""
    chain = HostChain(host, records=len(docs), signatures_checked=key is not None)
    previous: tuple[int, str] | None = None
    for seq in sorted(docs):
        doc = docs[seq]
        problem = _check_record(doc, key, chain)
        if problem:
            chain.problems.append(problem)
        expected_seq = previous[0] + 1 if previous else 1
        if seq > expected_seq:
            chain.gaps.append(_span(expected_seq, seq - 1))
        elif seq == 1 and doc.get("prev") != GENESIS:
            chain.problems.append("record 1 does not start a chain")
        elif previous and seq == expected_seq and doc.get("prev") != previous[1]:
            chain.problems.append(f"record {seq} does not chain to the record before it")
        previous = (seq, str(doc.get("hash", "")))
    return chain


def _check_record(doc: JsonDoc, key: bytes | None, chain: HostChain) -> str:
    seq = doc["seq"]
    if doc.get("hash") != record_hash(doc):
        return f"record {seq} was edited (its hash does not match its content)"
    if "hmac" not in doc:
        return ""
    chain.signed += 1
    if key is not None and not hmac.compare_digest(str(doc["hmac"]), record_hmac(doc, key)):
        return f"record {seq} has a wrong signature"
    return ""


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
