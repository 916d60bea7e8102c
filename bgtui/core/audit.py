"""The audit trail: append-only, hash-chained JSON Lines, optionally HMAC-signed."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bgtui.core.audit_record import AuditRecord, JsonDoc, Tested
from bgtui.core.errors import BadInput, BgtuiError
from bgtui.core.models import AliasState
from bgtui.core.smoke import SmokeRecord

GENESIS = "0" * 64
UNSIGNED_FIELDS = ("hash", "hmac")
SEALING_FIELDS = ("seq", "time", "prev", *UNSIGNED_FIELDS)
LIVE_CHANGES = ("promote", "rollback", "auto-rollback")
"""The actions that move production."""
"""What the trail itself adds to a record when it appends it."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def canonical(record: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in record.items() if k not in UNSIGNED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def record_hmac(record: Mapping[str, Any], key: bytes) -> str:
    return hmac.new(key, canonical(record), hashlib.sha256).hexdigest()


@dataclass
class VerifyReport:
    """The result of checking the whole chain."""

    records: int = 0
    signed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (
                f"audit trail verified: {self.records} records, {self.signed} signed, chain intact"
            )
        return f"audit trail BROKEN: {self.problems[0]}" + (
            f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        )


class AuditTrail:
    """One JSON Lines file; every append holds a lock, chains to the last record and is fsynced."""

    def __init__(
        self,
        path: Path,
        signing_key: bytes | Callable[[], bytes | None] | None = None,
        clock: Callable[[], datetime] = utc_now,
        marks: Mapping[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.marks = dict(marks or {})
        """Fields every record carries, such as the endpoint of an emulator."""
        self.head_path = path.with_name(path.name + ".head")
        self.lock_path = path.with_name(path.name + ".lock")
        self._key_source = signing_key
        self._key: bytes | None = None
        self._key_resolved = not callable(signing_key)
        if not callable(signing_key):
            self._key = signing_key
        self.clock = clock
        self.observers: list[Callable[[AuditRecord], None]] = []
        """Told of every record once it is written (notifications); each returns at once and
        never raises, so no change waits on one."""

    @property
    def signing_key(self) -> bytes | None:
        """The HMAC key; a key source (the keyring) is asked once, at the first use."""
        if not self._key_resolved:
            source = self._key_source
            self._key = source() if callable(source) else source
            self._key_resolved = True
        return self._key

    def append(self, entry: AuditRecord | Mapping[str, Any]) -> AuditRecord:
        """Chain, sign and durably write one record; returns it as written."""
        doc = entry.to_json() if isinstance(entry, AuditRecord) else entry
        body = {k: v for k, v in doc.items() if k not in SEALING_FIELDS}
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._locked():
            seq, prev = self._head()
            record: JsonDoc = {
                "seq": seq + 1,
                "time": _iso(self.clock()),
                **body,
                **self.marks,
                "prev": prev,
            }
            record["hash"] = record_hash(record)
            if self.signing_key:
                record["hmac"] = record_hmac(record, self.signing_key)
            line = json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            self._write_head(record["seq"], record["hash"])
        written = AuditRecord.from_json(record)
        for observe in self.observers:
            observe(written)
        return written

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _head(self) -> tuple[int, str]:
        last = _last_line(self.path)
        if last is None:
            return 0, GENESIS
        try:
            record = json.loads(last)
            return int(record["seq"]), str(record["hash"])
        except (ValueError, KeyError, TypeError):
            raise BadInput(
                f"the audit trail {self.path} ends with a damaged record; "
                "run `bgtui audit --verify` and repair it before any change"
            ) from None

    def _write_head(self, seq: int, digest: str) -> None:
        tmp = self.head_path.with_name(self.head_path.name + ".tmp")
        tmp.write_text(json.dumps({"seq": seq, "hash": digest}) + "\n")
        os.replace(tmp, self.head_path)

    def records(self) -> list[AuditRecord]:
        """Every readable record, oldest first; damaged lines are skipped (verify names them)."""
        return [AuditRecord.from_json(doc) for doc in self._documents()]

    def _documents(self) -> Iterator[JsonDoc]:
        for line in _lines(self.path):
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if isinstance(doc, dict):
                yield doc

    def _service_records(self, function: str, region: str, *actions: str) -> list[AuditRecord]:
        """The records of one service with these actions (or an unknown outcome), oldest first.

        Only these are read as typed records: a change reads the trail twice before it starts.
        """
        return [
            AuditRecord.from_json(doc)
            for doc in self._documents()
            if doc.get("function") == function
            and doc.get("region") == region
            and (doc.get("action") in actions or doc.get("outcome") == "unknown")
        ]

    def verify(self) -> VerifyReport:
        return verify_lines(_lines(self.path), self._read_head(), self._key_to_verify())

    def _key_to_verify(self) -> bytes | None:
        # A locked keyring refuses to sign, but reading need not wait for it: the chain is
        # still checked, signatures only once the key is at hand.
        try:
            return self.signing_key
        except BgtuiError:
            return None

    def _read_head(self) -> tuple[int, str] | None:
        try:
            doc = json.loads(self.head_path.read_text())
            return int(doc["seq"]), str(doc["hash"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def latest_smoke(self, function: str, region: str, version: str) -> SmokeRecord | None:
        for record in reversed(self._service_records(function, region, "test")):
            tested = record.tested
            if (
                record.action == "test"
                and record.is_outcome
                and record.function == function
                and record.region == region
                and tested is not None
                and tested.version == version
            ):
                return _smoke_from(record, tested)
        return None

    def change_that_left(self, function: str, region: str, alias: AliasState) -> AuditRecord | None:
        """The newest promote or rollback of this service that succeeded and left `alias` as it
        is now: the same version and the same revision id, so nobody has written it since."""
        for record in reversed(self._service_records(function, region, *LIVE_CHANGES)):
            after = (record.after or {}).get("live")
            if (
                record.action in LIVE_CHANGES
                and record.is_outcome
                and record.outcome == "ok"
                and isinstance(after, dict)
                and after.get("version") == alias.version
                and after.get("revision") == alias.revision_id
            ):
                return record
        return None

    def unresolved_unknowns(self, function: str, region: str) -> list[AuditRecord]:
        """Operations whose outcome was never learned, newest last, not yet reconciled."""
        pending: dict[int, AuditRecord] = {}
        for record in self._service_records(function, region, "reconcile"):
            if record.outcome == "unknown":
                pending[record.seq] = record
            elif record.action == "reconcile" and record.reconciles is not None:
                pending.pop(record.reconciles, None)
        return list(pending.values())


def _smoke_from(record: AuditRecord, tested: Tested) -> SmokeRecord | None:
    try:
        at = datetime.fromisoformat(record.time.replace("Z", "+00:00"))
    except ValueError:
        return None
    return SmokeRecord(
        version=tested.version,
        colour=tested.colour,
        passed=record.outcome == "ok",
        at=at,
        summary=tested.summary,
    )


def verify_lines(lines: list[str], head: tuple[int, str] | None, key: bytes | None) -> VerifyReport:
    report = VerifyReport()
    prev = GENESIS
    for number, line in enumerate(lines, start=1):
        report.records += 1
        problem = _check_line(line, number, prev, key, report)
        if problem:
            report.problems.append(problem)
            prev = _hash_of(line)
        else:
            prev = json.loads(line)["hash"]
    if head is not None and (head[0] != report.records or head[1] != prev):
        report.problems.append(
            f"the trail ends at record {report.records} but its head says {head[0]}: "
            "records were removed or appended by hand"
        )
    return report


def _hash_of(line: str) -> str:
    try:
        return str(json.loads(line).get("hash", ""))
    except (ValueError, AttributeError):
        return ""


def _check_line(line: str, number: int, prev: str, key: bytes | None, report: VerifyReport) -> str:
    try:
        record = json.loads(line)
    except ValueError:
        return f"line {number} is not valid JSON"
    if not isinstance(record, dict):
        return f"line {number} is not a record"
    if record.get("seq") != number:
        return f"line {number} carries seq {record.get('seq')}: records were removed or reordered"
    if record.get("prev") != prev:
        return f"record {number} does not chain to the record before it"
    if record.get("hash") != record_hash(record):
        return f"record {number} was edited (its hash does not match its content)"
    if "hmac" in record:
        report.signed += 1
        if key is None:
            return ""
        if not hmac.compare_digest(str(record["hmac"]), record_hmac(record, key)):
            return f"record {number} has a wrong signature"
    return ""


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.strip()]


def _last_line(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            chunk = min(size, 65536)
            while True:
                handle.seek(size - chunk)
                data = handle.read(chunk).rstrip(b"\n")
                if b"\n" in data or chunk == size:
                    break
                chunk = min(size, chunk * 4)
    except FileNotFoundError:
        return None
    if not data:
        return None
    return data.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
