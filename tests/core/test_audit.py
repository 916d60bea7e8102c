"""The audit chain: appends are chained and signed; edits, removals and reorders are detected."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bgtui.core.audit import AuditTrail


def fill(path: Path, count: int = 5, key: bytes | None = b"secret-key") -> AuditTrail:
    trail = AuditTrail(path, signing_key=key)
    for n in range(count):
        trail.append({"action": "promote", "phase": "intent", "n": n})
    return trail


def rewrite(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines))


def test_intact_chain_verifies(tmp_path: Path) -> None:
    report = fill(tmp_path / "a.jsonl").verify()
    assert report.ok and report.records == 5 and report.signed == 5


def test_edited_record_detected(tmp_path: Path) -> None:
    trail = fill(tmp_path / "a.jsonl")
    lines = trail.path.read_text().splitlines()
    record = json.loads(lines[2])
    record["reason"] = "nothing to see"
    lines[2] = json.dumps(record, sort_keys=True)
    rewrite(trail.path, lines)
    report = trail.verify()
    assert not report.ok and "record 3 was edited" in report.problems[0]


def test_removed_record_detected(tmp_path: Path) -> None:
    trail = fill(tmp_path / "a.jsonl")
    lines = trail.path.read_text().splitlines()
    rewrite(trail.path, lines[:1] + lines[2:])
    assert not trail.verify().ok


def test_removed_last_record_detected_by_head(tmp_path: Path) -> None:
    trail = fill(tmp_path / "a.jsonl")
    rewrite(trail.path, trail.path.read_text().splitlines()[:-1])
    report = trail.verify()
    assert not report.ok and "head" in report.problems[0]


def test_reordered_records_detected(tmp_path: Path) -> None:
    trail = fill(tmp_path / "a.jsonl")
    lines = trail.path.read_text().splitlines()
    lines[1], lines[3] = lines[3], lines[1]
    rewrite(trail.path, lines)
    assert not trail.verify().ok


def test_resigned_record_with_wrong_key_detected(tmp_path: Path) -> None:
    fill(tmp_path / "a.jsonl", key=b"other key")
    report = AuditTrail(tmp_path / "a.jsonl", signing_key=b"secret-key").verify()
    assert not report.ok and "signature" in report.problems[0]


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=4), st.text(min_size=1, max_size=20))
def test_any_single_field_edit_is_detected(index: int, text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        trail = fill(Path(folder) / "a.jsonl")
        lines = trail.path.read_text().splitlines()
        record = json.loads(lines[index])
        if record.get("action") == text:
            text += "!"
        record["action"] = text
        lines[index] = json.dumps(record, sort_keys=True)
        rewrite(trail.path, lines)
        assert not trail.verify().ok


def _append_many(path: str, worker: int) -> None:
    trail = AuditTrail(Path(path))
    for n in range(20):
        trail.append({"action": "test", "phase": "outcome", "worker": worker, "n": n})


def test_concurrent_processes_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    procs = [
        multiprocessing.get_context("fork").Process(target=_append_many, args=(str(path), w))
        for w in range(4)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
    report = AuditTrail(path).verify()
    assert report.ok, report.problems
    assert report.records == 80


def test_a_key_source_is_asked_once_at_the_first_use(tmp_path: Path) -> None:
    asked: list[int] = []

    def source() -> bytes:
        asked.append(1)
        return b"from the keyring"

    trail = AuditTrail(tmp_path / "a.jsonl", signing_key=source)
    assert asked == []
    trail.append({"action": "test"})
    trail.append({"action": "test"})
    assert asked == [1]
    assert AuditTrail(tmp_path / "a.jsonl", signing_key=b"from the keyring").verify().signed == 2
