"""Where an operator acts: account, region(s), profile, context and environment, said in words."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bgtui.core.catalog import NON_PRODUCTION
from bgtui.core.models import ServiceRef

PRODUCTION_MARK = "▲ PRODUCTION ▲"
"""Word and symbol: read without colour (NO_COLOR, a monochrome terminal) as well as with it."""


def is_production(environment: str) -> bool:
    return environment.strip().lower() not in NON_PRODUCTION


@dataclass(frozen=True)
class Whereabouts:
    """What the header shows and the confirmations repeat."""

    account: str = ""
    """The caller's account id; empty until STS answered."""
    account_alias: str = ""
    """The account's alias where IAM lets the caller read it."""
    regions: tuple[str, ...] = ()
    """Every region read; the first is where changes are made."""
    unread_regions: tuple[str, ...] = ()
    """Regions of the context this view does not read: named, so no one takes them as read."""
    profile: str = ""
    """The AWS profile; empty for the default credential chain."""
    context: str = ""
    """The chosen `[[context]]`; empty when none is."""
    environment: str = ""
    """The context's environment label."""
    service: ServiceRef | None = None
    """The selected service, whose `bluegreen:environment` tag (or configuration) counts too."""

    @property
    def production(self) -> bool:
        """Either the context or the service says production (an untagged service does)."""
        context = bool(self.environment) and is_production(self.environment)
        return context or (self.service is not None and self.service.production)

    @property
    def account_text(self) -> str:
        account = self.account or "…"
        return f"{account} ({self.account_alias})" if self.account_alias else account

    @property
    def environment_text(self) -> str:
        """The environment in words; both labels when context and service disagree."""
        service = self.service.environment if self.service else ""
        labels = [label for label in (self.environment, service) if label]
        if len(set(label.lower() for label in labels)) > 1:
            return f"{labels[0]} (service says {labels[1]})"
        return labels[0] if labels else ("production (untagged)" if self.production else "?")

    @property
    def region_text(self) -> str:
        text = ", ".join(self.regions) or "?"
        if self.unread_regions:
            text += f" (not shown: {', '.join(self.unread_regions)}; bgtui status lists them)"
        return text

    def for_service(self, service: ServiceRef | None) -> Whereabouts:
        return replace(self, service=service)

    def parts(self) -> list[tuple[str, str]]:
        """(label, value) pairs, most important first: a narrow terminal wraps the rest."""
        pairs = [
            ("acct", self.account_text),
            ("env", self.environment_text),
            ("region", self.region_text),
        ]
        if self.profile:
            pairs.append(("profile", self.profile))
        if self.context:
            pairs.append(("context", self.context))
        return pairs

    def confirmation_line(self, function: str) -> str:
        """The function with the account and environment beside it, for every confirmation."""
        mark = f"{PRODUCTION_MARK} " if self.production else ""
        region = f" · region {self.service.region}" if self.service else ""
        return (
            f"{mark}{function} · account {self.account_text} · "
            f"environment {self.environment_text}{region}"
        )
