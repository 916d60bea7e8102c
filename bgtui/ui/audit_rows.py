"""Audit records turned into table rows and a detail text, UI-free."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bgtui.core.endpoint import account_label
from bgtui.core.plain_text import printable

COLUMNS = ("time", "account", "actor", "action", "function", "outcome", "reason")


REASON_CELL = 40
"""A reason longer than this is cut in the table; the detail below shows it whole."""


def record_row(record: Mapping[str, Any]) -> tuple[str, ...]:
    """The table's cells, shown literally: reasons and actors are typed by other operators."""
    time = str(record.get("time", ""))[:19].replace("T", " ")
    actor = record.get("actor") or {}
    who = str(actor.get("local") or str(actor.get("aws", "")).rsplit("/", 1)[-1] or "?")
    phase = record.get("phase")
    outcome = str(record.get("outcome") or ("intent" if phase == "intent" else "—"))
    cells = (
        time,
        account_label(record),
        who,
        record.get("action", "?"),
        record.get("function", "?"),
        outcome,
    )
    reason = printable(record.get("reason", ""), limit=REASON_CELL)
    return (*(printable(cell, limit=REASON_CELL) for cell in cells), reason)


def record_detail(record: Mapping[str, Any]) -> str:
    """Reason, target, gates and error of one record, whole, with outside text made visible."""
    # Line by line: a newline inside a reason cannot forge a gate or an outcome line.
    return "\n".join(printable(line) for line in _detail_lines(record))


def _detail_lines(record: Mapping[str, Any]) -> list[str]:
    lines = [
        f"#{record.get('seq', '?')} {record.get('phase', '')} · region {record.get('region', '')}"
        f" · account {account_label(record)}"
    ]
    if record.get("endpoint"):
        lines.append(f"endpoint: {record['endpoint']}")
    actor = record.get("actor") or {}
    if isinstance(actor, Mapping) and actor:
        lines.append(f"actor: {actor.get('local', '?')} as {actor.get('aws', '?')}")
    if record.get("reason"):
        lines.append(f"reason: {record['reason']}")
    target = record.get("target")
    if isinstance(target, Mapping) and target:
        lines.append("target: " + ", ".join(f"{k} {v}" for k, v in target.items()))
    for gate in record.get("gates") or []:
        override = f" (override: {gate['override']})" if gate.get("override") else ""
        lines.append(
            f"gate {gate.get('gate')}: {gate.get('result')}{override} — {gate.get('detail')}"
        )
    if record.get("error"):
        lines.append(f"error: {record['error']}")
    for warning in record.get("warnings") or []:
        lines.append(f"warning: {warning}")
    return lines
