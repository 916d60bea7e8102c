"""A release event as a notification tells it: its fields, its line of text, its webhook body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JsonDoc = dict[str, Any]

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


def slack_escaped(text: str) -> str:
    """Text safe in a Slack message: its control characters `&`, `<` and `>` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_body(event: ReleaseEvent) -> JsonDoc:
    """A Slack-compatible incoming-webhook body (`text`) with the event's fields beside it."""
    return {"text": slack_escaped(event.text()), **event.to_json()}
