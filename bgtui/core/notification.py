"""Which audit records announce a release event, the event each announces, a webhook's host."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import BadInput
from bgtui.core.release_event import ReleaseEvent

NOTIFY_ACTION = "notify"
"""The action of the audit record each delivery (or failure to deliver) writes."""

_ON_SUCCESS = {
    "deploy": "deploy",
    "approval-request": "approval-requested",
    "approve": "approved",
    "promote": "promoted",
    "rollback": "rolled-back",
    "auto-rollback": "auto-rolled-back",
    "watch": "watch-passed",
}


def event_name(record: AuditRecord) -> str | None:
    """The event an outcome record is, or None when it is none an operator is told about."""
    if not record.is_outcome or record.action == NOTIFY_ACTION:
        return None
    if record.outcome == "conflict":
        return "conflict"
    if record.action == "test" and record.outcome == "failed":
        return "smoke-failed"
    if record.outcome == "ok":
        return _ON_SUCCESS.get(record.action)
    return None


def event_of(record: AuditRecord, environment: str = "") -> ReleaseEvent | None:
    """The event `record` announces, with the versions it moved between; None for most records."""
    name = event_name(record)
    if name is None:
        return None
    before, to = _versions(record)
    tested = record.tested.summary if record.tested else ""
    detail = record.error or str(record.extra.get("measured", "")) or tested
    return ReleaseEvent(
        name=name,
        function=record.function,
        region=record.region,
        account=record.account,
        environment=environment or str(record.extra.get("context", "")),
        from_version=before,
        to_version=to,
        actor=record.actor_name,
        reason=record.reason,
        outcome=record.outcome or "",
        time=record.time,
        detail=detail,
        seq=record.seq,
    )


def _versions(record: AuditRecord) -> tuple[str, str]:
    if record.tested is not None:
        return "", record.tested.version
    colour = record.target.colour if record.target else ""
    to = record.target.version if record.target else ""
    if record.action == "deploy" and colour:
        after = _version(record.after, colour) if record.after else ""
        return _version(record.before, colour), to or after
    after = _version(record.after, "live") if record.after else ""
    return _version(record.before, "live"), after or to


def _version(snapshot: Mapping[str, Any], alias: str) -> str:
    doc = snapshot.get(alias)
    return str(doc.get("version", "")) if isinstance(doc, Mapping) else ""


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
"""Hosts a plain-http webhook may name: a receiver on this machine (a local relay, tests)."""


def webhook_host(url: str) -> str:
    """The part of a webhook URL that may be shown: its host (the path carries the token)."""
    try:
        parsed = urlparse(url)
        host = parsed.hostname
    except ValueError:
        host = None
    if host is None or parsed.scheme not in ("http", "https"):
        raise BadInput("a webhook must be an http(s) URL")
    if parsed.scheme == "http" and host not in LOOPBACK:
        raise BadInput(f"webhook on {host}: only https, except to this machine")
    return host
