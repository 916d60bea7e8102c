"""The release service: every flow the CLI and the console offer, wired once over a backend."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bgtui.adapters.keyring.audit_key import AuditKey
from bgtui.adapters.terraform.process import TerraformRunner
from bgtui.app.deploy_source import DeployRequest, load_source
from bgtui.app.refresh import HealthSnapshot, ServicesSnapshot, read_health, read_services
from bgtui.app.settings import Settings
from bgtui.app.terraform import make_runner
from bgtui.core.approval import ApprovalRequest
from bgtui.core.approving import Approvals
from bgtui.core.audit import AuditTrail, VerifyReport
from bgtui.core.audit_record import AuditRecord
from bgtui.core.auto_rollback import auto_rollback
from bgtui.core.change import Change, OperationResult
from bgtui.core.errors import BadInput, BgtuiError, Conflict, OperationFailed
from bgtui.core.gates import GateResult
from bgtui.core.logs import LogEvent, chosen_version
from bgtui.core.models import Colour, Identity, ServiceRef, ServiceState, VersionInfo
from bgtui.core.operations import BlueGreen, SmokeReport
from bgtui.core.policy import Policy
from bgtui.core.ports import LogsPort
from bgtui.core.team_trail import TeamTrail
from bgtui.core.watch import WatchReport, WatchThresholds
from bgtui.core.watch_loop import PassClaim, ServiceWatch, record_pass, service_thresholds
from bgtui.core.whereabouts import Whereabouts

if TYPE_CHECKING:
    from bgtui.app.backend import Backend
    from bgtui.app.evidence import EvidenceCheck


@dataclass(frozen=True)
class StatusReport:
    """What `status` found: every service read, in order, and what became of unknown outcomes."""

    read: tuple[ServiceState | BgtuiError, ...]
    settled: tuple[AuditRecord, ...] = ()
    """Reconcile records of operations whose outcome had been unknown until this read."""

    @property
    def states(self) -> tuple[ServiceState, ...]:
        return tuple(s for s in self.read if isinstance(s, ServiceState))

    @property
    def unreadable(self) -> tuple[BgtuiError, ...]:
        return tuple(s for s in self.read if isinstance(s, BgtuiError))


@dataclass(frozen=True)
class AuditReader:
    """The audit trail, read and checked; no AWS needed."""

    trail: AuditTrail

    def records(self, function: str = "") -> list[AuditRecord]:
        """Records oldest first, only `function`'s when one is named."""
        return [r for r in self.trail.records() if not function or r.function == function]

    def verify(self) -> VerifyReport:
        return self.trail.verify()


def override_reasons(gates: Sequence[str], reason: str) -> dict[str, str]:
    """Gates to override, each with the reason recorded beside it (a reason is required)."""
    if gates and not reason.strip():
        raise BadInput("an override needs a reason: the reason is recorded with the override")
    return {gate: reason for gate in gates}


@dataclass
class ReleaseService:
    """Status, versions, changes, smoke tests, logs, audit, Terraform and identity, for any
    front end.

    Every method may block on AWS, the keyring, a file or terraform: console front ends call
    them from workers.
    """

    backend: Backend
    audit: AuditReader = field(init=False)

    def __post_init__(self) -> None:
        self.audit = AuditReader(self.backend.audit)

    @property
    def settings(self) -> Settings:
        return self.backend.settings

    @property
    def policy(self) -> Policy:
        return self.backend.operations.policy

    @property
    def region(self) -> str:
        return self.backend.region

    @property
    def audit_key(self) -> AuditKey | None:
        return self.backend.audit_key

    # -- reading ------------------------------------------------------------------------------

    def find(self, function: str) -> ServiceRef:
        return self.backend.catalog.find(function)

    def status(self, function: str = "", progress: StatusProgress | None = None) -> StatusReport:
        """Every discovered service (or the one named), with unknown outcomes reconciled.

        The one service asked for that cannot be read raises: that is the answer. `progress`
        hears (services read, services found, region) as the reads go.
        """
        catalog = self.backend.catalog
        refs = [catalog.find(function)] if function else catalog.discover()
        told = None if progress is None else partial(_told, progress, len(refs), self.region)
        read = tuple(catalog.read_many(refs, told))
        unreadable = [s for s in read if isinstance(s, BgtuiError)]
        if function and unreadable:
            raise unreadable[0]
        settled = [r for s in read if isinstance(s, ServiceState) for r in self.reconcile(s)]
        return StatusReport(read, tuple(settled))

    def read(self, ref: ServiceRef) -> ServiceState:
        return self.backend.catalog.read(ref)

    def reread(self, ref: ServiceRef) -> ServiceState | None:
        """The state now, or None when it cannot be read (after a conflict, say)."""
        try:
            return self.read(ref)
        except BgtuiError:
            return None

    def read_services(
        self,
        selected: str,
        on_screen: Sequence[str],
        read_before: Collection[str],
        sweep_from: int,
    ) -> ServicesSnapshot:
        """One console refresh's state reads: the selected service, the rows on screen, a few
        others round robin (see bgtui.app.refresh)."""
        catalog = self.backend.catalog
        return read_services(catalog, selected, on_screen, read_before, sweep_from)

    def read_health(
        self,
        states: Sequence[ServiceState],
        full: Collection[str],
        clock: Callable[[], datetime] | None = None,
    ) -> HealthSnapshot:
        """One metrics fetch for `states`: every series of those in `full`, a glance at the rest;
        the window ends at `clock`'s now (the front end's clock, else the backend's)."""
        backend = self.backend
        minutes = backend.settings.window_minutes
        return read_health(backend.metrics, states, full, clock or backend.clock, minutes)

    @property
    def operations(self) -> BlueGreen:
        """The core's operations, for a training walkthrough that checks what the trainee did."""
        return self.backend.operations

    def versions(self, function: str) -> tuple[VersionInfo, ...]:
        """Published versions, newest first."""
        return tuple(self.backend.catalog.functions.list_versions(function))

    def reconcile(self, state: ServiceState) -> list[AuditRecord]:
        """Settle operations of this service whose outcome was unknown, from the state read."""
        return self.backend.operations.reconcile(state)

    # -- changing -----------------------------------------------------------------------------

    def prepare_deploy(
        self, ref: ServiceRef, request: DeployRequest, seen: Colour | None = None
    ) -> Change:
        """A deploy to the idle colour; `seen` is the colour the operator saw idle."""
        source = load_source(request)
        change = self.backend.operations.prepare_deploy(ref, source, request.reason)
        if seen is not None and change.target_colour is not seen:
            raise Conflict(f"deploy {ref.function}: {seen.value} is not idle any more; re-read")
        return change

    def prepare_promote(
        self,
        ref: ServiceRef,
        to: Colour | None = None,
        reason: str = "",
        overrides: Sequence[str] = (),
        watch_minutes: int = 0,
    ) -> Change:
        """The swap to the idle colour; `to` is the colour the operator saw idle.

        `watch_minutes` opens a watch window that long, recorded in the swap's own write.
        """
        reasons = override_reasons(overrides, reason)
        change = self.backend.operations.prepare_promote(ref, to, reason, reasons)
        return change.with_watch(watch_minutes)

    def prepare_rollback(
        self, ref: ServiceRef, from_colour: Colour | None = None, reason: str = ""
    ) -> Change:
        """The swap back; `from_colour` is the colour the operator saw live."""
        return self.backend.operations.prepare_rollback(ref, from_colour, reason)

    def execute(self, change: Change, typed: str) -> OperationResult:
        """Run a prepared change; `typed` is the confirmation the operator typed."""
        return self.backend.operations.execute(change, typed)

    def smoke(self, ref: ServiceRef, seen: Colour | None = None) -> SmokeReport:
        """Smoke checks against the idle colour (`seen`: the colour the operator saw idle)."""
        return self.backend.operations.run_smoke(ref, seen)

    # -- the watch window after a promote -----------------------------------------------------

    def watch_thresholds(self, ref: ServiceRef) -> WatchThresholds:
        """`[watch]` with the service's `bluegreen:watch-*` tags applied."""
        return service_thresholds(self.settings.watch, ref)

    def service_watch(self, ref: ServiceRef) -> ServiceWatch:
        """A watcher of `ref`'s open window that reads, judges and rolls back as this principal."""
        backend = self.backend
        thresholds = self.watch_thresholds(ref)
        return ServiceWatch(
            backend.operations, backend.metrics, ref, thresholds, self.principal(), backend.clock
        )

    def auto_rollback(self, state: ServiceState, report: WatchReport) -> OperationResult:
        """The rollback a breached watch makes, from the state the breach was seen in."""
        return auto_rollback(self.backend.operations, state, report, self.principal())

    def record_watch_passed(self, state: ServiceState, report: WatchReport) -> PassClaim:
        """The window `state`'s promote opened ended healthy: the release is done. Recorded
        here unless another watcher claimed the pass first (`PassClaim.TAKEN`)."""
        return record_pass(self.backend.operations, state, report, self.principal())

    def principal(self) -> str:
        """The short name recorded as `by` of an automatic rollback."""
        actor = self.identity()
        return actor.arn.rsplit("/", 1)[-1] if actor.arn else actor.local

    # -- two-person promote ----------------------------------------------------------------------

    def approvals(self) -> Approvals:
        ops = self.backend.operations
        return Approvals(ops.catalog, ops.functions, ops.recorder, ops.policy, ops.clock)

    def approval(self, ref: ServiceRef) -> tuple[ServiceState, ApprovalRequest | None, str]:
        """The request the idle colour carries and why it cannot stand ('' when it can)."""
        return self.approvals().current(ref)

    def request_approval(self, ref: ServiceRef, reason: str) -> ApprovalRequest:
        """Ask for a second person's approval of promoting the idle version (kept if one stands)."""
        return self.approvals().request(ref, reason)

    def request_gates(
        self, ref: ServiceRef, request: ApprovalRequest
    ) -> tuple[tuple[GateResult, ...], str]:
        """The gates the requested promote meets now, or why they could not be evaluated."""
        try:
            return self.prepare_promote(ref, None, request.reason).gates, ""
        except BgtuiError as error:
            return (), str(error)

    def approve(self, ref: ServiceRef, reason: str) -> ApprovalRequest:
        """Approve the standing request as the acting principal (never its requester)."""
        return self.approvals().approve(ref, reason)

    # -- each version's Lambda logs, shown and never kept ----------------------------------------

    @property
    def reads_logs(self) -> bool:
        """Whether this configuration can read Lambda logs at all."""
        return self.backend.logs is not None

    def log_source(self, function: str, target: str) -> tuple[str, str]:
        """The colour and version whose logs `target` names (blue, green or live), read now."""
        return chosen_version(self.read(self.find(function)), target)

    def log_history(
        self, function: str, version: str, start: datetime, end: datetime
    ) -> list[LogEvent]:
        """The version's events from `start` to `end`, oldest first."""
        return self._logs().history(function, version, start, end)

    def follow_logs(
        self, function: str, version: str, start: datetime, stopped: Callable[[], bool]
    ) -> Iterator[list[LogEvent]]:
        """Batches of the version's events from `start` on, as they arrive, until `stopped()`."""
        return self._logs().follow(function, version, start, stopped)

    def _logs(self) -> LogsPort:
        if self.backend.logs is None:
            raise OperationFailed("logs cannot be read with this configuration")
        return self.backend.logs

    # -- every operator's records ------------------------------------------------------------

    def team_audit(self, function: str = "", since: timedelta | None = None) -> TeamTrail:
        """Every host's records from the services' audit log groups, each chain checked."""
        from bgtui.app.team import read_team_trail

        return read_team_trail(self.backend, function, since)

    def write_evidence(self, function: str, seq: int, out: Path) -> AuditRecord:
        """The release record bundle of a promote, its digest recorded in the audit trail."""
        from bgtui.app.evidence import write_bundle

        return write_bundle(self.backend, function, seq, out)

    def verify_evidence(self, bundle: Path) -> str | None:
        """The first difference between a bundle and the audit trail, or None when it matches."""
        return self.check_evidence(bundle).difference

    def check_evidence(self, bundle: Path) -> EvidenceCheck:
        """The bundle against the trail here, or its CloudWatch Logs copy when that lacks it."""
        from bgtui.app.evidence import verify_bundle

        return verify_bundle(self.backend, bundle)

    # -- Terraform, identity, credentials ------------------------------------------------------

    def terraform_runner(self, directory: str | Path | None = None) -> TerraformRunner:
        """A runner for `directory` (else `[terraform] dir`) as the operator bgtui acts as."""
        return make_runner(self.settings, directory)

    def identity(self) -> Identity:
        return self.backend.operations.actor()

    def account_alias(self) -> str:
        """The account's alias where IAM lets the caller read it; empty otherwise."""
        return self.backend.account_alias()

    def whereabouts(self, identify: bool = False) -> Whereabouts:
        """Account, environment, region(s), profile and context; `identify` asks AWS who."""
        return self.backend.whereabouts(identify)

    def refresh_credentials(self) -> None:
        """Pick up renewed credentials; the next identity read asks AWS again."""
        self.backend.refresh_credentials()


StatusProgress = Callable[[int, int, str], None]
"""Told (services read, services found, region) while a status read goes on."""


def _told(progress: StatusProgress, found: int, region: str, read: int) -> None:
    progress(read, found, region)
