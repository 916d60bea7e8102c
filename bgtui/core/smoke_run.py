"""Testing the idle colour as an operation: read the service, run its checks, record the run."""

from __future__ import annotations

from dataclasses import replace

from bgtui.core.audit_record import Tested
from bgtui.core.catalog import Catalog
from bgtui.core.change import Action, Outcome
from bgtui.core.errors import Conflict, Refused
from bgtui.core.models import Colour, ServiceRef
from bgtui.core.ports import FunctionsPort, HttpPort
from bgtui.core.recording import Recorder
from bgtui.core.smoke import SmokeReport, run_checks


class SmokeRunner:
    """Smoke-checks a service's idle colour; the recorded run feeds the promotion gate."""

    def __init__(
        self,
        catalog: Catalog,
        functions: FunctionsPort,
        recorder: Recorder,
        http: HttpPort | None = None,
    ) -> None:
        self.catalog = catalog
        self.functions = functions
        self.recorder = recorder
        self.http = http

    def run_smoke(self, ref: ServiceRef, expected: Colour | None = None) -> SmokeReport:
        """Smoke-check the idle colour and record the result.

        With `expected`, the colour the operator saw idle: if another is idle now, nothing runs.
        """
        state = self.catalog.read(ref)
        idle, colour = state.idle_alias, state.idle_colour
        if idle is None or colour is None:
            raise Refused(f"cannot test {ref.function}: {'; '.join(state.problems)}")
        if expected is not None and colour is not expected:
            raise Conflict(f"test {ref.function}: {expected.value} is not idle any more; re-read")
        results = run_checks(self.functions, state, ref.smoke_checks, self.http)
        report = SmokeReport(state, colour, idle.version, results)
        outcome = Outcome.OK if report.passed else Outcome.FAILED
        tested = Tested(
            colour.value, idle.version, report.summary, tuple(r.as_dict() for r in results)
        )
        record = self.recorder.record(
            state, Action.TEST, "outcome", "", outcome=outcome.value, tested=tested
        )
        # A mis-wired test stage is not a failed check (the alias was invoked directly), but
        # whoever tests through that stage must know they reach production.
        shipped = self.recorder.ship(ref, record)
        return replace(report, warnings=(*state.routing_problems, *shipped))
