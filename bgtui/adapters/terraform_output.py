"""Terraform's printed output read as bgtui values: lines, change summaries, locks, workspaces."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bgtui.core.plan import LockInfo, PlanEvent, PlanLevel, PlanLine, PlanSummary, Workspaces

LEVELS = {"error": PlanLevel.ERROR, "warn": PlanLevel.WARNING, "warning": PlanLevel.WARNING}
LOCK_ERROR = "Error acquiring the state lock"
LOCK_FIELDS = {
    "ID": "id",
    "Path": "path",
    "Operation": "operation",
    "Who": "who",
    "Version": "version",
    "Created": "created",
    "Info": "info",
}
_LOCK_FIELD = re.compile(rf"^\W*({'|'.join(LOCK_FIELDS)}):[ \t]*(.*?)\s*$")
# Plain (non-JSON) output frames diagnostics with box-drawing characters.
_PLAIN_SEVERITY = re.compile(r"^[\s│╷╵]*(Error|Warning):")


def events_from_output(raw: str) -> list[PlanEvent]:
    """The events one printed line carries: JSON messages by their text, other lines as is."""
    message = _json_message(raw)
    if message is None:
        return [PlanLine(raw, plain_level(raw))]
    level = LEVELS.get(str(message.get("@level")), PlanLevel.INFO)
    if message.get("type") == "diagnostic":
        return list(diagnostic_lines(message.get("diagnostic") or {}, level))
    # Some messages span lines ("Interrupt received.\nPlease wait ..."): one event per line.
    lines = [PlanLine(text, level) for text in str(message["@message"]).strip("\n").splitlines()]
    if message.get("type") == "change_summary":
        return [*lines, summary_from(message.get("changes") or {})]
    return lines or [PlanLine("", level)]


def _json_message(raw: str) -> dict[str, Any] | None:
    if not raw.startswith("{"):
        return None
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    return message if isinstance(message, dict) and "@message" in message else None


def plain_level(text: str) -> PlanLevel:
    found = _PLAIN_SEVERITY.match(text)
    if found is None:
        return PlanLevel.INFO
    return PlanLevel.ERROR if found.group(1) == "Error" else PlanLevel.WARNING


def diagnostic_lines(diagnostic: Mapping[str, Any], level: PlanLevel) -> Iterable[PlanLine]:
    """A diagnostic as terraform prints it for people: severity and summary, place, detail."""
    severity = "Error" if level is PlanLevel.ERROR else "Warning"
    yield PlanLine(f"{severity}: {diagnostic.get('summary', '')}", level)
    where = diagnostic.get("range") or {}
    if where.get("filename"):
        line = (where.get("start") or {}).get("line", "?")
        yield PlanLine(f"  on {where['filename']} line {line}", level)
    for detail in str(diagnostic.get("detail") or "").splitlines():
        yield PlanLine(f"  {detail}".rstrip(), level)


def summary_from(changes: Mapping[str, Any]) -> PlanSummary:
    return PlanSummary(
        add=int(changes.get("add", 0)),
        change=int(changes.get("change", 0)),
        destroy=int(changes.get("remove", 0)),
        imports=int(changes.get("import", 0)),
        operation=str(changes.get("operation", "plan")),
    )


def lock_from_lines(lines: Iterable[str]) -> LockInfo | None:
    """The holder of the state lock, when terraform failed because the state is locked."""
    text = list(lines)
    if not any(LOCK_ERROR in line for line in text):
        return None
    found: dict[str, str] = {}
    for line in text:
        match = _LOCK_FIELD.match(line)
        if match and LOCK_FIELDS[match.group(1)] not in found:
            found[LOCK_FIELDS[match.group(1)]] = match.group(2)
    return LockInfo(**{"id": "", **found})


def workspaces_from(listing: str) -> Workspaces:
    """`terraform workspace list`: one name per line, the selected one marked with `*`."""
    names: list[str] = []
    current = ""
    for line in listing.splitlines():
        name = line.strip().lstrip("*").strip()
        if not name:
            continue
        names.append(name)
        if line.strip().startswith("*"):
            current = name
    return Workspaces(tuple(names), current)
