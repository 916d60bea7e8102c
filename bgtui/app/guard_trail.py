"""The records a guard in AWS wrote to a service's audit log group, read back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import NotFound

if TYPE_CHECKING:
    from bgtui.app.backend import Backend

GUARD = "guard"


def guard_records(
    backend: Backend, function: str, start: datetime | None = None
) -> list[AuditRecord]:
    """The guard's records of one service, oldest first; none when nothing can be read.

    The guard is no host with a chain of its own (its lines carry no seq), so the team
    trail, which checks chains, does not list them: they are read here by their `by`.
    """
    ref = backend.catalog.find(function)
    if backend.audit_source is None or not ref.audit_log_group:
        return []
    try:
        lines = backend.audit_source.read(ref.audit_log_group, start)
    except NotFound:
        return []
    found = []
    for line in lines:
        try:
            doc = json.loads(line.message)
        except ValueError:
            continue
        if isinstance(doc, dict) and doc.get("by") == GUARD and doc.get("function") == function:
            found.append(AuditRecord.from_json(doc))
    return sorted(found, key=lambda r: r.time)
