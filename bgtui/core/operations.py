"""The blue/green operations — deploy, test, promote, rollback — as one facade over their parts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import AuditRecord
from bgtui.core.catalog import Catalog
from bgtui.core.change import Change, DeploySource, OperationResult
from bgtui.core.executing import Executor
from bgtui.core.models import Colour, Identity, ServiceRef, ServiceState
from bgtui.core.planning import Planner
from bgtui.core.policy import Policy
from bgtui.core.ports import AuditSinkPort, FunctionsPort, HttpPort, IdentityPort, StagesPort
from bgtui.core.reconciling import Reconciler
from bgtui.core.recording import Recorder
from bgtui.core.smoke import SmokeReport
from bgtui.core.smoke_run import SmokeRunner

__all__ = ["BlueGreen", "SmokeReport"]


class BlueGreen:
    """Prepares and executes changes on services; policy is enforced here, not in front ends."""

    def __init__(
        self,
        catalog: Catalog,
        functions: FunctionsPort,
        stages: StagesPort,
        audit: AuditTrail,
        identity: IdentityPort,
        policy: Policy,
        sink: AuditSinkPort | None = None,
        http: HttpPort | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.catalog = catalog
        self.functions = functions
        self.stages = stages
        self.policy = policy
        self.sink = sink
        self.http = http
        self.clock = clock
        self.recorder = Recorder(audit, identity, sink, clock)
        self.reconciler = Reconciler(self.recorder)
        self.planner = Planner(catalog, functions, self.recorder, self.reconciler, policy, clock)
        self.executor = Executor(functions, stages, self.recorder, policy)
        self.smoke = SmokeRunner(catalog, functions, self.recorder, http)

    @property
    def audit(self) -> AuditTrail:
        """The trail every part records to; replacing it here replaces it for all of them."""
        return self.recorder.audit

    @audit.setter
    def audit(self, audit: AuditTrail) -> None:
        self.recorder.audit = audit

    @property
    def identity(self) -> IdentityPort:
        return self.recorder.identity

    @identity.setter
    def identity(self, identity: IdentityPort) -> None:
        self.recorder.identity = identity

    def prepare_promote(
        self,
        ref: ServiceRef,
        to: Colour | None = None,
        reason: str = "",
        overrides: Mapping[str, str] | None = None,
    ) -> Change:
        return self.planner.prepare_promote(ref, to, reason, overrides)

    def prepare_rollback(
        self, ref: ServiceRef, from_colour: Colour | None = None, reason: str = ""
    ) -> Change:
        return self.planner.prepare_rollback(ref, from_colour, reason)

    def prepare_deploy(self, ref: ServiceRef, source: DeploySource, reason: str = "") -> Change:
        return self.planner.prepare_deploy(ref, source, reason)

    def execute(self, change: Change, typed: str) -> OperationResult:
        """Run a confirmed change: intent → one write → verify → outcome."""
        return self.executor.execute(change, typed)

    def run_smoke(self, ref: ServiceRef, expected: Colour | None = None) -> SmokeReport:
        """Smoke-check the idle colour and record the result (it feeds the promotion gate).

        With `expected`, the colour the operator saw idle: if another is idle now, nothing runs.
        """
        return self.smoke.run_smoke(ref, expected)

    def reconcile(self, state: ServiceState) -> list[AuditRecord]:
        """Settle earlier operations whose outcome was unknown, from the state read now."""
        return self.reconciler.reconcile(state)

    def forget_identity(self) -> None:
        """Ask who the caller is again next time (credentials were refreshed)."""
        self.recorder.forget_identity()

    def actor(self) -> Identity:
        """Who is acting, asked once per session (and again after `forget_identity`)."""
        return self.recorder.actor()
