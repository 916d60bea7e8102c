"""Release events: which audit records an operator is told about, and what the message says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bgtui.core.audit_record import AuditRecord, JsonDoc

EVENTS = (
    "deploy",
    "smoke-failed",
    "approval-requested",
    "approved",
    "promoted",
    "rolled-back",
    "auto-rolled-back",
    "watch-passed",
    "conflict",
)
"""Every event a notification names, after Argo Rollouts' notification triggers."""

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


@dataclass(frozen=True)
class ReleaseEvent:
    """One thing that happened to a service, as a notification tells it."""

    name: str
    function: str
    region: str
    account: str
    environment: str
    from_version: str
    to_version: str
    actor: str
    reason: str
    outcome: str
    time: str
    detail: str = ""
    """The error of a conflict or a failed smoke run; what a watch measured."""
    seq: int = 0
    """The audit record the event was made from."""

    @property
    def versions(self) -> str:
        if self.from_version and self.to_version and self.from_version != self.to_version:
            return f"v{self.from_version} → v{self.to_version}"
        version = self.to_version or self.from_version
        return f"v{version}" if version else ""

    @property
    def where(self) -> str:
        place = "/".join(p for p in (self.account, self.region) if p)
        return f"{self.environment} ({place})" if self.environment else place

    def text(self) -> str:
        """One line for a person: event, function, where, versions, who and why."""
        parts = [f"[{self.name}] {self.function}", f"in {self.where}" if self.where else ""]
        parts += [self.versions, f"by {self.actor}" if self.actor else ""]
        line = " ".join(p for p in parts if p)
        extra = " · ".join(p for p in (self.reason, self.detail) if p)
        return f"{line} — {extra}" if extra else line

    def to_json(self) -> JsonDoc:
        """The machine-readable fields a receiver can route on."""
        return {
            "event": self.name,
            "function": self.function,
            "region": self.region,
            "account": self.account,
            "environment": self.environment,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "actor": self.actor,
            "reason": self.reason,
            "outcome": self.outcome,
            "time": self.time,
            "detail": self.detail,
            "audit_seq": self.seq,
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
    detail = record.error or str(record.extra.get("measured", ""))
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


def slack_escaped(text: str) -> str:
    """Text safe in a Slack message: its control characters `&`, `<` and `>` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_body(event: ReleaseEvent) -> JsonDoc:
    """A Slack-compatible incoming-webhook body (`text`) with the event's fields beside it."""
    return {"text": slack_escaped(event.text()), **event.to_json()}
