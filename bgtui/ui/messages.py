"""Messages the console's workers post back to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from textual.message import Message

from bgtui.app.refresh import HealthSnapshot, ServicesSnapshot
from bgtui.core.audit_record import AuditRecord
from bgtui.core.change import Change, OperationResult
from bgtui.core.errors import BgtuiError, CredentialsExpired
from bgtui.core.models import Identity, ServiceState, VersionInfo
from bgtui.core.operations import SmokeReport
from bgtui.core.plan import ApplyAccounts, PlanEvent, Workspaces


@dataclass
class ServicesRead(Message):
    """Services were discovered and their aliases, stages and alarms read."""

    snapshot: ServicesSnapshot
    read_at: datetime

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ServicesRead)


@dataclass
class HealthRead(Message):
    """One metrics refresh arrived; `received` is the perf-counter time the answer came back."""

    snapshot: HealthSnapshot
    received: float

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HealthRead)


@dataclass
class RefreshFailed(Message):
    """A refresh could not read something; what is on screen is kept and marked stale."""

    what: str
    reason: str
    at: datetime
    expired: bool = False
    """The credentials have expired: the operator must renew them, then reload."""

    @classmethod
    def of(cls, what: str, error: BgtuiError, at: datetime) -> RefreshFailed:
        return cls(what, f"{error.title}: {error}", at, isinstance(error, CredentialsExpired))


@dataclass
class VersionsRead(Message):
    """The published versions of one service, newest first."""

    function: str
    versions: tuple[VersionInfo, ...]


@dataclass
class IdentityRead(Message):
    """Who the console acts as."""

    identity: Identity
    account_alias: str = ""
    """The account's alias, where IAM lets the caller read it."""


@dataclass
class ChangePrepared(Message):
    """A change is ready for the operator to review and confirm."""

    change: Change


@dataclass
class ChangeDone(Message):
    """A confirmed change ran to completion."""

    result: OperationResult


@dataclass
class ChangeConflicted(Message):
    """The state changed between review and confirm; nothing was written by this console."""

    change: Change
    detail: str
    now: ServiceState | None = None


@dataclass
class SmokeDone(Message):
    """A smoke run of the idle colour finished."""

    report: SmokeReport


@dataclass
class AuditRead(Message):
    """The audit trail's records (newest first) and its chain verification."""

    records: list[AuditRecord] = field(default_factory=list)
    verification: str = ""
    intact: bool = True


@dataclass
class TerraformOutput(Message):
    """One line terraform printed, or its change summary."""

    event: PlanEvent


@dataclass
class TerraformWorkspaces(Message):
    """The workspaces of the Terraform root and the selected one."""

    workspaces: Workspaces


@dataclass
class TerraformFinished(Message):
    """A terraform run ended: `ok`, `failed` or `cancelled`."""

    operation: str
    outcome: str


@dataclass
class TerraformAccountsRead(Message):
    """The account the saved plan ran against, beside the one bgtui acts as: read for an apply."""

    accounts: ApplyAccounts


@dataclass
class WalkthroughProgress(Message):
    """The training walkthrough's current step, and whether the last refresh completed one."""

    banner: str
    moved: bool
    finished: bool


@dataclass
class CredentialsReloaded(Message):
    """The AWS session was rebuilt: the next calls load credentials afresh."""


@dataclass
class KeyringState(Message):
    """Whether the audit signing key can be used: `locked` names the keyring to unlock ('' if
    none must be); `problem` says why the last passphrase did not open it."""

    locked: str
    problem: str = ""


@dataclass
class WorkerFailed(Message):
    """A screen's worker raised: the app shows it, the one place errors become visible."""

    error: BaseException
