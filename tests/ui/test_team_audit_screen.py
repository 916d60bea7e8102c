"""`a` then `t` in the console: the audit screen switches between this host's file and the team's
trail, read in the screen's own worker through the release service."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from textual.widgets import DataTable

from bgtui.app.backend import Backend
from bgtui.core.audit import AuditTrail
from bgtui.core.shipped import ShippedLine
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.audit import AuditScreen
from tests.ui.helpers import settle, shown


class ShippedGroups:
    """AuditSourcePort over lines held here, as two hosts shipped them."""

    def __init__(self, lines: list[ShippedLine]) -> None:
        self.lines = lines
        self.groups_read: list[str] = []

    def read(self, log_group: str, start: datetime | None = None) -> list[ShippedLine]:
        self.groups_read.append(log_group)
        return [line for line in self.lines if line.log_group == log_group]


def shipped_by(host: str, tmp_path: Path, group: str, reasons: list[str]) -> list[ShippedLine]:
    trail = AuditTrail(tmp_path / host / "audit.jsonl")
    for reason in reasons:
        trail.append(
            {
                "action": "test",
                "phase": "outcome",
                "function": "ledger-writer",
                "actor": {"aws": f"arn:aws:iam::123456789012:user/{host}", "local": host},
                "reason": reason,
                "outcome": "ok",
            }
        )
    return [
        ShippedLine(group, f"{host}/2026-01-05", json.dumps(r.to_json(), sort_keys=True))
        for r in trail.records()
    ]


async def test_t_shows_every_host_s_records_and_back(
    app: BgtuiApp, backend: Backend, tmp_path: Path
) -> None:
    group = backend.catalog.find("ledger-writer").audit_log_group
    source = ShippedGroups(
        shipped_by("bastion-a", tmp_path, group, ["CHG-1", "CHG-2"])
        + shipped_by("bastion-b", tmp_path, group, ["CHG-3"])
    )
    backend.audit_source = source
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        table = app.screen.query_one("#records", DataTable)
        assert table.row_count == 0
        await pilot.press("t")
        await app.screen.workers.wait_for_complete()
        await settle(pilot)
        assert table.row_count == 3
        banner = shown(app.screen.query_one("#verification"))
        assert "Team's trail" in banner and "3 records from 2 hosts" in banner
        assert group in source.groups_read
        await pilot.press("t")
        await app.screen.workers.wait_for_complete()
        await settle(pilot)
        assert table.row_count == 0
        assert "Audit trail" in shown(app.screen.query_one("#verification"))


async def test_an_edited_team_record_is_named_on_the_screen(
    app: BgtuiApp, backend: Backend, tmp_path: Path
) -> None:
    group = backend.catalog.find("ledger-writer").audit_log_group
    lines = shipped_by("bastion-a", tmp_path, group, ["CHG-1", "CHG-2"])
    edited = json.loads(lines[1].message) | {"reason": "CHG-9"}
    lines[1] = ShippedLine(group, lines[1].stream, json.dumps(edited))
    backend.audit_source = ShippedGroups(lines)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a", "t")
        await app.screen.workers.wait_for_complete()
        await settle(pilot)
        banner = shown(app.screen.query_one("#verification"))
        assert "BROKEN" in banner and "record 2 was edited" in banner
