"""The typed audit record: the trail written before it still verifies and reads back unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bgtui.core import audit_record
from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import Actor, AuditRecord, Target
from bgtui.core.gates import GateResult
from tests.core.audit_scenario import KEY, write_scenario

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "audit-before-typed-record.jsonl"


def lines() -> list[str]:
    return FIXTURE.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def old_trail(tmp_path: Path) -> AuditTrail:
    for name in (FIXTURE.name, FIXTURE.name + ".head"):
        shutil.copy(DATA / name, tmp_path / name)
    return AuditTrail(tmp_path / FIXTURE.name, signing_key=KEY)


def test_a_trail_written_before_the_typed_record_verifies(old_trail: AuditTrail) -> None:
    """The fixture was written by the code that kept records as dicts (tests/core/audit_scenario.py
    run before this type existed); its hash chain and HMACs must still hold."""
    report = old_trail.verify()
    assert report.ok, report.problems
    assert report.records == report.signed == len(lines()) == 35


def test_every_old_record_reads_back_as_the_same_bytes(old_trail: AuditTrail) -> None:
    records = old_trail.records()
    assert len(records) == len(lines())
    for record, line in zip(records, lines(), strict=True):
        assert json.dumps(record.to_json(), sort_keys=True, ensure_ascii=False) == line
        assert not record.extra, f"record {record.seq} did not read as its type: {record.extra}"


def test_old_records_read_as_typed_values(old_trail: AuditTrail) -> None:
    records = {r.seq: r for r in old_trail.records()}
    assert records[1].tested is not None and records[1].tested.version == "3"
    assert records[3].actor == Actor("arn:aws:iam::123456789012:user/oncall", "oncall@bastion")
    assert records[3].target == Target("green", "3") and records[3].outcome is None
    assert records[4].intent == 3 and records[4].after is not None
    assert records[8].source == "zip build-7.zip (7 bytes)"
    overridden = [g for g in records[17].gates if g.override_reason]
    assert [g.name for g in overridden] == ["smoke-passed"] and not overridden[0].passed
    assert records[28].warnings == ("blue had been redeployed (v6); reset to v2",)
    assert (records[31].reconciles, records[31].applied) == (30, True)
    assert (records[34].reconciles, records[34].applied) == (33, None)
    assert records[35].endpoint == "http://127.0.0.1:4566"


def test_the_split_operations_write_the_same_bytes_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same operations, run by the current code, write the fixture byte for byte and ship
    the same lines to the log groups."""
    shipped = write_scenario(tmp_path / "audit.jsonl", monkeypatch)
    assert (tmp_path / "audit.jsonl").read_text(encoding="utf-8") == FIXTURE.read_text("utf-8")
    before = json.loads((DATA / "audit-before-typed-record.shipped.json").read_text("utf-8"))
    assert [[group, lines] for group, lines in shipped] == before


def test_unknown_keys_and_odd_values_round_trip() -> None:
    doc = {
        "action": "test",
        "n": 3,
        "target": None,
        "applied": True,
        "seq": "7",
        "gates": [{"gate": "g", "result": "FAIL", "detail": "d", "override": "x"}],
    }
    record = AuditRecord.from_json(doc)
    assert record.to_json() == doc
    assert record.action == "test" and record.extra["n"] == 3
    assert record.seq == 0, "a seq that is not a number is not taken for one"


def test_a_record_built_in_code_writes_only_the_keys_that_apply() -> None:
    gate = GateResult("reason", True, "reason: x")
    record = AuditRecord("promote", "intent", "fn", gates=(gate,), target=Target("blue"))
    doc = record.to_json()
    assert doc["gates"] == [{"gate": "reason", "result": "pass", "detail": "reason: x"}]
    assert doc["target"] == {"colour": "blue"}
    assert "applied" not in doc and "hmac" not in doc and "tested" not in doc
    assert AuditRecord.from_json(doc) == record


def test_every_field_has_a_reader() -> None:
    from dataclasses import fields

    typed = {f.name for f in fields(AuditRecord)} - {"extra", "omitted"}
    assert set(audit_record._READERS) == typed


INNER_KEYS = st.sampled_from(
    ["colour", "version", "summary", "results", "gate", "result", "detail", "override", "aws"]
) | st.text(max_size=3)
"""Keys of the documents inside a record, so that targets, gates and actors come up."""
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["pass", "FAIL", "x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(INNER_KEYS, inner, max_size=4),
    max_leaves=10,
)
KNOWN_KEYS = sorted(audit_record._READERS)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.sampled_from([*KNOWN_KEYS, "n", "worker"]), JSON_VALUES, max_size=12))
def test_any_json_document_reads_back_as_itself(doc: dict[str, object]) -> None:
    """Whatever a trail line holds, reading and writing it again changes nothing it hashes."""
    assert AuditRecord.from_json(doc).to_json() == doc
