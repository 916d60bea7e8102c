"""The backend: what one front end holds of the adapters and the core, for one context."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bgtui.adapters.aws.call_log import CallLog
from bgtui.adapters.aws.session import AwsContext
from bgtui.adapters.keyring.audit_key import AuditKey
from bgtui.app.notifications import NotificationQueue
from bgtui.app.settings import Settings
from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.operations import BlueGreen
from bgtui.core.ports import AuditSourcePort, LogsPort, MetricsPort
from bgtui.core.whereabouts import Whereabouts


@dataclass
class Backend:
    """Everything a front end needs: the catalog, the operations, metrics and the audit trail."""

    settings: Settings
    catalog: Catalog
    operations: BlueGreen
    metrics: MetricsPort
    audit: AuditTrail
    call_log: CallLog = field(default_factory=CallLog)
    context: AwsContext | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    audit_key: AuditKey | None = None
    """Where the audit signing key comes from; the console unlocks it before the first change."""
    logs: LogsPort | None = None
    """Each version's Lambda logs; None where the front end was built without them."""
    audit_source: AuditSourcePort | None = None
    """Every host's shipped audit records; None where the front end was built without them."""
    audit_host: str = ""
    """The host name this backend's records are shipped under."""
    notifications: NotificationQueue | None = None
    """Sends the release events of the audit trail; None when `[notify]` names nowhere."""

    @property
    def region(self) -> str:
        return self.catalog.region

    def whereabouts(self, identify: bool = False) -> Whereabouts:
        """Where this backend acts; `identify` asks STS and IAM for the account (blocking)."""
        settings = self.settings
        where = Whereabouts(
            regions=(self.region,),
            unread_regions=settings.regions[1:],
            profile=settings.profile or os.environ.get("AWS_PROFILE", ""),
            context=settings.context,
            environment=settings.environment,
        )
        if identify:
            account = self.operations.actor().account
            where = replace(where, account=account, account_alias=self.account_alias())
        return where

    def account_alias(self) -> str:
        """The account's alias where the caller may read it; empty otherwise."""
        ask = getattr(self.operations.identity, "account_alias", None)
        return str(ask()) if callable(ask) else ""

    def refresh_credentials(self) -> None:
        """Pick up refreshed credentials without a restart; they may belong to another caller."""
        if self.context is not None:
            self.context.refresh_credentials()
        # The identity adapter remembers the caller too; the audit trail must name the new one.
        forget_caller = getattr(self.operations.identity, "forget", None)
        if callable(forget_caller):
            forget_caller()
        self.operations.forget_identity()
