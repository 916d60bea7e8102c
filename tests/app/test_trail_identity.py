"""The audit trail's id: made once beside the trail file, then read back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.app.trail_identity import id_path, trail_id
from bgtui.core.errors import BadInput


def test_the_id_is_made_once_and_kept_beside_the_trail(tmp_path: Path) -> None:
    audit = tmp_path / "state" / "bgtui" / "audit.jsonl"
    made = trail_id(audit)
    assert id_path(audit) == audit.parent / "audit.trail-id"
    assert id_path(audit).read_text().strip() == made and len(made) == 8
    assert trail_id(audit) == made
    assert trail_id(tmp_path / "other" / "audit.jsonl") != made


def test_an_id_that_cannot_name_a_stream_is_refused_in_one_line(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    id_path(audit).write_text("a/b:c\n")
    with pytest.raises(BadInput, match=r"audit\.trail-id must hold letters"):
        trail_id(audit)


def test_a_state_directory_that_cannot_be_written_still_gets_a_stable_id(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    audit = blocker / "bgtui" / "audit.jsonl"  # its parent cannot be made: a file is in the way
    assert trail_id(audit) == trail_id(audit) and len(trail_id(audit)) == 8
