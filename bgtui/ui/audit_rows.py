"""Audit records turned into table rows and a detail text, UI-free."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bgtui.core.endpoint import account_label

COLUMNS = ("time", "account", "actor", "action", "function", "outcome", "reason")


def record_row(record: Mapping[str, Any]) -> tuple[str, ...]:
    time = str(record.get("time", ""))[:19].replace("T", " ")
    actor = record.get("actor") or {}
    who = str(actor.get("local") or actor.get("aws", "").rsplit("/", 1)[-1] or "?")
    phase = record.get("phase")
    outcome = str(record.get("outcome") or ("intent" if phase == "intent" else "—"))
    return (
        time,
        account_label(record),
        who,
        str(record.get("action", "?")),
        str(record.get("function", "?")),
        outcome,
        str(record.get("reason", "")),
    )


def record_detail(record: Mapping[str, Any]) -> str:
    """Gates, error and target of one record, one short line each."""
    lines = [
        f"#{record.get('seq', '?')} {record.get('phase', '')} · region {record.get('region', '')}"
        f" · account {account_label(record)}"
    ]
    if record.get("endpoint"):
        lines.append(f"endpoint: {record['endpoint']}")
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
    return "\n".join(lines)
