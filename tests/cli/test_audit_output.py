"""`bgtui audit --json` prints the records of the trail exactly as they are held on disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bgtui.cli.main import main

FIXTURE = Path(__file__).parent.parent / "core" / "data" / "audit-before-typed-record.jsonl"


def test_the_json_listing_is_the_file_s_records_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state" / "bgtui"
    state.mkdir(parents=True)
    shutil.copy(FIXTURE, state / "audit.jsonl")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("BGTUI_ENDPOINT_URL", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    code = main(["audit", "--json", "--function", "ledger-writer"])
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    held = [json.loads(line) for line in lines]
    expected = [r for r in held if r["function"] == "ledger-writer"]
    assert code == 0 and expected
    assert capsys.readouterr().out == json.dumps(expected, indent=2) + "\n"
