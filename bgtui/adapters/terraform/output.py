"""Terraform's output read as bgtui values: lines, summaries, locks, workspaces, accounts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from bgtui.core.plan import (
    LockInfo,
    PlanAccounts,
    PlanEvent,
    PlanLevel,
    PlanLine,
    PlanSummary,
    Workspaces,
)

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
_ACCOUNT_ARN = re.compile(r"^arn:[^:]+:[^:]*:[^:]*:(\d{12}):")
CALLER_IDENTITY = "data.aws_caller_identity"
STATE_ARNS = "ARNs of the resources in the state"
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
    texts = str(message["@message"]).strip("\n").splitlines()
    lines: list[PlanLine | PlanSummary] = [PlanLine(text, level) for text in texts]
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


def plan_accounts(document: Mapping[str, Any]) -> PlanAccounts:
    """The accounts a saved plan (`terraform show -json PLAN`) was made against.

    The caller identity the provider read while planning says it best; failing that, the
    accounts in the ARNs of the resources already in the state.
    """
    resources = list(_state_resources(document))
    read = {
        str(r["values"]["account_id"])
        for r in resources
        if r.get("mode") == "data"
        and r.get("type") == "aws_caller_identity"
        and r["values"].get("account_id")
    }
    if read:
        return PlanAccounts(tuple(sorted(read)), CALLER_IDENTITY)
    owners = {
        found.group(1)
        for r in resources
        if r.get("mode") == "managed"
        and (found := _ACCOUNT_ARN.match(str(r["values"].get("arn") or "")))
    }
    return PlanAccounts(tuple(sorted(owners)), STATE_ARNS) if owners else PlanAccounts()


def _state_resources(document: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every resource and data source of the plan's prior state, in every module."""
    prior = document.get("prior_state") or {}
    pending = [(prior.get("values") or {}).get("root_module") or {}]
    while pending:
        module = pending.pop()
        for resource in module.get("resources") or ():
            if isinstance(resource.get("values"), dict):
                yield resource
        pending.extend(module.get("child_modules") or ())
