"""The audit trail's id: made once beside the trail file, then read back unchanged."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bgtui.app import trail_identity
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


def test_the_id_file_comes_into_being_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A console and `bgtui emulator` started together both make the id: the one that loses
    reads the winner's, so the file must never be seen without its id (it once was, empty,
    and the console stopped on a one-line error)."""
    audit = tmp_path / "audit.jsonl"
    target = id_path(audit)
    seen: list[str] = []
    real_link, real_open = os.link, os.open

    def link(src: object, dst: object, *args: object, **kwargs: object) -> None:
        real_link(src, dst, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(dst)) == target:
            seen.append(target.read_text())

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        found = real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(path)) == target:
            seen.append(target.read_text())
        return found

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "open", open_)
    made = trail_id(audit)
    assert seen == [made + "\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.trail-id"], "no draft is left"


def test_an_id_being_written_by_another_process_is_waited_for(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    id_path(audit).write_text("")  # made, not yet written
    writer = threading.Timer(0.1, lambda: id_path(audit).write_text("a1b2c3d4\n"))
    writer.start()
    try:
        assert trail_id(audit) == "a1b2c3d4"
    finally:
        writer.join()


def test_an_id_file_left_empty_is_named_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trail_identity, "EMPTY_WAIT_S", 0.05)
    audit = tmp_path / "audit.jsonl"
    id_path(audit).write_text("\n")
    with pytest.raises(BadInput, match=r"audit\.trail-id is empty: remove it"):
        trail_id(audit)


def test_concurrent_starts_agree_on_one_id(tmp_path: Path) -> None:
    for round_ in range(20):
        audit = tmp_path / str(round_) / "audit.jsonl"
        start = threading.Barrier(8)

        def made(_: int, audit: Path = audit, start: threading.Barrier = start) -> str:
            start.wait()
            return trail_id(audit)

        with ThreadPoolExecutor(8) as pool:
            assert len(set(pool.map(made, range(8)))) == 1
