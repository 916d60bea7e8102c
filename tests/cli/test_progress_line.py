"""`bgtui demo`'s provisioning progress: one line rewritten in place, nothing left behind."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bgtui.core.plan import PlanEvent, PlanLine, PlanSummary
from bgtui.demo import provisioning as demo


def terminal_rows(written: str, columns: int) -> list[str]:
    """What a terminal shows after `written`: `\\r` returns to column 0, text wraps at `columns`."""
    rows: list[list[str]] = [[]]
    row = column = 0
    for char in written:
        if char == "\r":
            column = 0
        elif char == "\n":
            rows.append([])
            row, column = row + 1, 0
        else:
            if column == columns:
                rows.append([])
                row, column = row + 1, 0
            line = rows[row]
            line[column : column + 1] = [char]
            column += 1
    return ["".join(line).rstrip() for line in rows]


def fake_provision(
    url: str, region: str, workdir: Path, on_event: Callable[[str, PlanEvent], None], **_: Any
) -> list[str]:
    on_event("plan", PlanSummary(37, 0, 0))
    for index in range(137):
        on_event("apply", PlanLine(f"module.service: Creation complete [id={index}]"))
    return ["payments-api"]


def test_a_shorter_progress_line_leaves_nothing_of_the_longer_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("bgtui.demo.tf_stack.provision_demo_with_terraform", fake_provision)
    monkeypatch.setattr(demo.shutil, "get_terminal_size", lambda: os.terminal_size((80, 24)))
    progress = io.StringIO()
    assert demo._provision_with_terraform("http://127.0.0.1:1", tmp_path, progress) == [
        "payments-api"
    ]
    rows = terminal_rows(progress.getvalue(), 80)
    assert rows[0] == "provisioning the demo stack with terraform: apply · 138 lines"
    assert len(rows) == 2 and rows[1] == "", "the line wrapped: \\r could not rewrite it"
