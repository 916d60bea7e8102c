"""The parts of BlueGreen wired one by one over the in-memory AWS, for tests of each part."""

from __future__ import annotations

from dataclasses import dataclass

from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.executing import Executor
from bgtui.core.planning import Planner
from bgtui.core.policy import Policy
from bgtui.core.reconciling import Reconciler
from bgtui.core.recording import Recorder
from tests.core.conftest import NOW
from tests.fakes import FakeAws


@dataclass
class Parts:
    catalog: Catalog
    recorder: Recorder
    reconciler: Reconciler
    planner: Planner
    executor: Executor


def parts_of(aws: FakeAws, trail: AuditTrail, policy: Policy | None = None) -> Parts:
    policy = policy or Policy()
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)
    recorder = Recorder(trail, aws, sink=aws, clock=lambda: NOW)
    reconciler = Reconciler(recorder)
    planner = Planner(catalog, aws, recorder, reconciler, policy, clock=lambda: NOW)
    return Parts(catalog, recorder, reconciler, planner, Executor(aws, aws, recorder, policy))
