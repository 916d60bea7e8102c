"""The scripted training scenarios: bad releases rolled back by hand or by the guard, a good one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bgtui.core.audit_record import AuditRecord
from bgtui.core.change import DeploySource
from bgtui.core.models import ServiceState
from bgtui.core.operations import BlueGreen

PIPELINE_REASON = "release pipeline: build {build} of {function}"


@dataclass(frozen=True)
class Progress:
    """What the scenario can see when it decides whether a step is done."""

    state: ServiceState
    records: Sequence[AuditRecord]
    guard_records: Sequence[AuditRecord] = ()
    """What the service's guard in AWS wrote to its audit log group."""
    candidate: str = ""
    """The version the scenario's pipeline deployed."""

    def outcomes(self, action: str) -> list[AuditRecord]:
        return [
            r
            for r in self.records
            if r.action == action and r.is_outcome and r.function == self.state.ref.function
        ]

    def succeeded(self, action: str) -> bool:
        return any(r.outcome == "ok" for r in self.outcomes(action))

    def live_alarm_firing(self) -> bool:
        return any(a.firing for a in self.state.alarms_for("live"))

    def guard_rollback(self) -> AuditRecord | None:
        """The guard's successful auto-rollback of the candidate, once live no longer runs it."""
        live = self.state.live
        if live is None or live.version == self.candidate:
            return None
        return next(
            (
                r
                for r in reversed(self.guard_records)
                if r.action == "auto-rollback" and r.outcome == "ok"
            ),
            None,
        )


@dataclass(frozen=True)
class Step:
    """One step of a walkthrough: what to look at, which key to press, when it is done."""

    title: str
    instructions: str
    done: Callable[[Progress], bool]
    after_quit: bool = False
    """Done while the console is closed: `bgtui demo` offers to reopen it."""


NEXT_KEY = "n"
BACK_KEY = "b"


@dataclass
class Scenario:
    """A named walkthrough on one demo service, at the trainee's pace.

    A step whose work is seen done waits until the trainee presses the next key; the trainer
    can go back a step at any time (the step is then judged again from what is recorded).
    """

    name: str
    function: str
    build: int
    healthy_build: bool
    steps: tuple[Step, ...]
    index: int = 0
    candidate_version: str = ""
    started_seq: int = 0
    step_done: bool = False
    """The current step's work is done; the scenario waits for the trainee to go on."""
    guarded: bool = False
    """The service gets a guard in AWS (as `enable_guard = true` deploys it) before the start."""
    read_guard: Callable[[str], Sequence[AuditRecord]] | None = field(default=None, compare=False)
    """Reads the records the service's guard wrote in AWS; None: there is none to read."""
    guard_said: str = ""
    """Why the guard rolled back, from its audit record, once seen."""
    # The console's refresh worker judges steps while the trainee's keys move them.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def current(self) -> Step | None:
        return None if self.finished else self.steps[self.index]

    def banner(self) -> str:
        step = self.current
        if step is None:
            said = f" {self.guard_said}." if self.guard_said else ""
            return (
                f"Scenario {self.name}: complete.{said} Press a to review the audit trail "
                f"({BACK_KEY}: back a step)."
            )
        where = f"Step {self.index + 1}/{len(self.steps)}"
        if self.step_done:
            said = f" ({self.guard_said})" if self.guard_said else ""
            return (
                f"{where} ✔ {step.title}: done{said} — press {NEXT_KEY} to go on ({BACK_KEY}: back)"
            )
        back = f" ({BACK_KEY}: back a step)" if self.index else ""
        return f"{where} · {step.title} — {step.instructions}{back}"

    def reopen_prompt(self) -> str:
        """What to say when the console was closed on purpose; empty when no step waits for it."""
        step = self.current
        if step is None or not step.after_quit:
            return ""
        return (
            f"The console is closed; the guard in AWS still watches {self.function}'s live "
            "alarms. Give it a minute, then press Enter to reopen the console (Ctrl-C ends "
            "the demo)."
        )

    def go_on(self) -> bool:
        """The trainee moves past a step that is done; False when there is nothing to go on to."""
        with self._lock:
            if self.finished or not self.step_done:
                return False
            self.index += 1
            self.step_done = False
            return True

    def go_back(self) -> bool:
        """The trainer returns to the step before; False at the first step."""
        with self._lock:
            if self.index == 0:
                return False
            self.index -= 1
            self.step_done = False
            return True

    def setup(self, operations: BlueGreen, package: Callable[[str, int, bool], bytes]) -> None:
        """The release pipeline deploys this scenario's build to the idle colour."""
        ref = operations.catalog.find(self.function)
        self.started_seq = len(operations.audit.records())
        data = package(self.function, self.build, self.healthy_build)
        reason = PIPELINE_REASON.format(build=self.build, function=self.function)
        change = operations.prepare_deploy(
            ref, DeploySource.from_zip(f"build-{self.build}.zip", data), reason
        )
        result = operations.execute(change, change.confirmation_text)
        after = result.state_after
        idle = after.idle_alias if after else None
        self.candidate_version = idle.version if idle else ""

    def advance(self, operations: BlueGreen) -> bool:
        """Re-read the service; True when this read saw the current step's work done."""
        index, step = self.index, self.current
        if step is None or self.step_done:
            return False
        ref = operations.catalog.find(self.function)
        records = operations.audit.records()[self.started_seq :]
        guard = self.read_guard(self.function) if self.read_guard else ()
        progress = Progress(operations.catalog.read(ref), records, guard, self.candidate_version)
        done = step.done(progress)
        with self._lock:
            if not done or self.index != index:
                return False
            self.step_done = True
            rollback = progress.guard_rollback()
            if rollback is not None:
                self.guard_said = _guard_words(rollback)
            return True


def _tested(progress: Progress) -> bool:
    return bool(progress.outcomes("test"))


def _promoted(progress: Progress) -> bool:
    return progress.succeeded("promote")


def _rolled_back(progress: Progress) -> bool:
    return progress.succeeded("rollback")


def bad_release() -> Scenario:
    fn = "payments-api"
    return Scenario(
        "bad-release",
        fn,
        build=43,
        healthy_build=False,
        steps=(
            Step(
                "smoke-test the candidate",
                "build 43 was deployed to the idle colour of Payments API; select it and "
                "press t to smoke-test the idle colour",
                _tested,
            ),
            Step(
                "the gate blocks promotion",
                "the smoke test FAILED; press p: the gates block the swap. Override the "
                "failed gates with a reason, type the function name and confirm",
                _promoted,
            ),
            Step(
                "watch production",
                "the broken build is live: watch err% climb on the LIVE panel until the "
                "live errors alarm fires (the scenario clock runs fast)",
                lambda p: p.live_alarm_firing(),
            ),
            Step(
                "roll back",
                "press r, give a reason, type the function name: live returns to the "
                "previous version at once",
                _rolled_back,
            ),
        ),
    )


def clean_release() -> Scenario:
    fn = "payments-api"
    return Scenario(
        "clean-release",
        fn,
        build=44,
        healthy_build=True,
        steps=(
            Step(
                "smoke-test the candidate",
                "build 44 was deployed to the idle colour of Payments API; select it and "
                "press t to smoke-test it",
                _tested,
            ),
            Step(
                "promote",
                "the smoke test passed and every gate is green: press p, give a reason, "
                "type the function name and confirm",
                _promoted,
            ),
            Step(
                "watch production",
                "production now runs build 44 on the other colour; the previous colour "
                "stays warm for an instant rollback. Press a to see the audit trail",
                lambda p: p.state.live is not None and p.state.previous is not None,
            ),
        ),
    )


GUARD_WORDS = 140
"""The guard's measured words shown on the banner at most (an alarm's reason can run long)."""


def _guard_rolled_back(progress: Progress) -> bool:
    return progress.guard_rollback() is not None


def _guard_words(record: AuditRecord) -> str:
    measured = str(record.extra.get("measured") or record.reason)[:GUARD_WORDS]
    return f"The guard's audit record: auto-rollback at {record.time}, {measured}"


def auto_rollback() -> Scenario:
    fn = "payments-api"
    return Scenario(
        "auto-rollback",
        fn,
        build=45,
        healthy_build=False,
        guarded=True,
        steps=(
            Step(
                "smoke-test the candidate",
                "build 45 was deployed to the idle colour of Payments API; select it and "
                "press t to smoke-test the idle colour",
                _tested,
            ),
            Step(
                "promote it anyway",
                "the smoke test FAILED; press p, override the failed gates with a reason, "
                "type the function name and confirm: the swap opens a watch window, and "
                "the WATCH panel says it is guarded by AWS",
                _promoted,
            ),
            Step(
                "walk away",
                "quit the console now (press q) as if your session dropped; reopen it when "
                "asked: the guard in AWS rolls the bad build back while nobody watches",
                _guard_rolled_back,
                after_quit=True,
            ),
        ),
    )


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "bad-release": bad_release,
    "clean-release": clean_release,
    "auto-rollback": auto_rollback,
}


def scenario_named(name: str) -> Scenario:
    from bgtui.core.errors import BadInput

    try:
        return SCENARIOS[name]()
    except KeyError:
        raise BadInput(f"no scenario {name!r}; scenarios: {', '.join(SCENARIOS)}") from None


def demo_package(function: str, build: int, healthy: bool) -> bytes:
    """The deployment package a scenario's pipeline ships (broken builds fail at runtime)."""
    from bgtui.demo.code import BROKEN
    from bgtui.demo.code import demo_package as package

    return package(function, build, None if healthy else BROKEN)
