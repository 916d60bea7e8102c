"""Audit records turned into table rows and a detail text, UI-free."""

from __future__ import annotations

from bgtui.core.audit_record import AuditRecord
from bgtui.core.endpoint import account_label
from bgtui.core.plain_text import printable

COLUMNS = ("time", "account", "actor", "action", "function", "outcome", "reason")


REASON_CELL = 40
"""A reason longer than this is cut in the table; the detail below shows it whole."""


def record_row(record: AuditRecord) -> tuple[str, ...]:
    """The table's cells, shown literally: reasons and actors are typed by other operators."""
    time = record.time[:19].replace("T", " ")
    who = record.actor_name or "?"
    outcome = record.outcome or ("intent" if record.phase == "intent" else "—")
    cells = (
        time,
        account_label(record),
        who,
        record.action or "?",
        record.function or "?",
        outcome,
    )
    reason = printable(record.reason, limit=REASON_CELL)
    return (*(printable(cell, limit=REASON_CELL) for cell in cells), reason)


def record_detail(record: AuditRecord) -> str:
    """Reason, target, gates and error of one record, whole, with outside text made visible."""
    # Line by line: a newline inside a reason cannot forge a gate or an outcome line.
    return "\n".join(printable(line) for line in _detail_lines(record))


def _detail_lines(record: AuditRecord) -> list[str]:
    lines = [
        f"#{record.seq or '?'} {record.phase} · region {record.region}"
        f" · account {account_label(record)}"
    ]
    if record.endpoint:
        lines.append(f"endpoint: {record.endpoint}")
    actor = record.actor
    if actor.local or actor.aws:
        lines.append(f"actor: {actor.local or '?'} as {actor.aws or '?'}")
    if record.reason:
        lines.append(f"reason: {record.reason}")
    if record.target is not None:
        target = record.target.to_json()
        lines.append("target: " + ", ".join(f"{k} {v}" for k, v in target.items()))
    for gate in record.gates:
        override = f" (override: {gate.override_reason})" if gate.override_reason else ""
        lines.append(f"gate {gate.name}: {gate.verdict}{override} — {gate.detail}")
    if record.error:
        lines.append(f"error: {record.error}")
    for warning in record.warnings or ():
        lines.append(f"warning: {warning}")
    return lines
