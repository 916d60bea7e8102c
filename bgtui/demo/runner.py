"""`bgtui demo`: the console on the embedded emulator, provisioned, with synthetic traffic."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bgtui.adapters.terraform.tree import EMULATOR_EXAMPLE
from bgtui.app.settings import Settings, load_settings, state_home
from bgtui.core.errors import BadInput, BgtuiError
from bgtui.demo.provisioning import (
    DEMO_REGION,
    use_demo_credentials,
)

if TYPE_CHECKING:
    from bgtui.app.backend import Backend

DEMO_RUNS = "demo-runs"
# Traffic from the console's process and the Terraform root start after its first metrics
# read, or this long after the emulator is ready if no read comes.
BACKGROUND_AT_LATEST_S = 10.0
HISTORY_WAIT_S = 60.0
SCENARIO_SPEED = 20.0
TRAFFIC_INTERVAL_S = 5.0
log = logging.getLogger("bgtui.demo.runner")


@dataclass
class DemoWorld:
    """The emulator's process with the demo stack, and the traffic written from here."""

    endpoint_url: str
    functions: list[str]
    background: Background
    emulator: Any
    provisioned_by: str
    terraform_root: Path | None = None
    """The Terraform root that manages the demo's services, in the run's own directory."""
    run_dir: Path | None = None
    """The run's own directory: Terraform's state and plans; removed when the demo ends."""
    warmed: Any = None
    """What the `warm_up` given to `demo_world` made while the emulator started."""


@contextmanager
def demo_world(
    empty: bool = False,
    interval_s: float = TRAFFIC_INTERVAL_S,
    provisioner: str = "boto3",
    progress: TextIO | None = None,
    warm_up: Callable[[str, Path], object] | None = None,
    **traffic_options: Any,
) -> Iterator[DemoWorld]:
    """Start the emulator in its own process (the demo stack, its first minutes of traffic);
    stop all of it on exit. `warm_up(url, terraform_root)` runs while the emulator starts, its
    answer kept as `world.warmed`; the traffic from here and the Terraform root start with
    `world.background.start()`, or a few seconds in at the latest."""
    from bgtui.demo.process import DemoEmulator

    use_demo_credentials()
    with tempfile.TemporaryDirectory(prefix="bgtui-demo-") as scratch:
        run_dir = Path(scratch)
        with DemoEmulator(DEMO_REGION, provisioner, run_dir, empty) as emulator:
            if provisioner != "boto3":
                (progress or sys.stderr).write("bgtui: provisioning the demo with terraform…\n")
            root = None if empty else run_dir / "terraform" / EMULATOR_EXAMPLE
            warmed = warm_up(emulator.url, root or run_dir) if warm_up is not None else None
            ready = emulator.wait_ready()
            background = Background(ready, run_dir, interval_s, traffic_options, empty)
            at_latest = threading.Timer(BACKGROUND_AT_LATEST_S, background.start)
            at_latest.daemon = True
            at_latest.start()
            functions, how = ready.functions, ready.provisioned_by
            try:
                yield DemoWorld(
                    ready.url, functions, background, emulator, how, root, run_dir, warmed
                )
            finally:
                at_latest.cancel()
                background.stop()


class Background:
    """What the demo starts once the console shows its first data: the traffic written from
    here (the emulator's process wrote the minutes before) and the Terraform view's root."""

    def __init__(
        self, ready: Any, run_dir: Path, interval_s: float, options: dict[str, Any], empty: bool
    ) -> None:
        self._ready, self._run_dir, self._empty = ready, run_dir, empty
        self._interval_s, self._options = interval_s, options
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.traffic: Any = None

    def start(self) -> None:
        """Idempotent and quick: the work runs on a thread of its own."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bgtui-demo", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        from bgtui.demo.traffic import TrafficGenerator

        ready = self._ready
        traffic = TrafficGenerator(ready.url, DEMO_REGION, **self._options)
        if ready.written_until is not None:
            traffic.written(ready.functions, ready.written_until)
        traffic.start(self._interval_s)
        self.traffic = traffic
        if self._empty:
            return
        try:
            terraform_root(ready.url, ready.provisioned_by, self._run_dir)
        except Exception:  # logged; the Terraform view then reports the missing root
            log.exception("the demo's Terraform root could not be prepared")

    def join(self, timeout_s: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout_s)

    def stop(self) -> None:
        self.join()
        if self.traffic is not None:
            self.traffic.stop()


def terraform_root(endpoint_url: str, provisioned_by: str, run_dir: Path) -> Path | None:
    """The root the Terraform view plans: the demo's own services, state in `run_dir`.

    After Terraform built the stack its root already holds the state; after boto3 built it, a
    root that imports the services is prepared. None when the Terraform tree is not installed.
    """
    from bgtui.demo.stack import DEMO_SERVICES
    from bgtui.demo.tf_adopt import prepare_demo_root
    from bgtui.demo.tf_stack import EXAMPLE

    if provisioned_by == "terraform":
        return run_dir / "terraform" / EXAMPLE
    try:
        return prepare_demo_root(run_dir, endpoint_url, DEMO_REGION, DEMO_SERVICES)
    except BgtuiError:
        return None


def demo_settings(
    endpoint_url: str,
    base: Settings | None = None,
    terraform_dir: Path | None = None,
    started: datetime | None = None,
) -> Settings:
    """Settings for the demo: the emulator's endpoint, the run's own audit trail and the
    Terraform root of the demo's services."""
    settings = base or load_settings(
        env={k: v for k, v in os.environ.items() if k != "BGTUI_CONFIG"}
    )
    return replace(
        settings,
        endpoint_url=endpoint_url,
        region=DEMO_REGION,
        profile=None,
        audit_path=demo_audit_path(started or datetime.now(UTC)),
        terraform_dir=str(terraform_dir) if terraform_dir else "",
        terraform_workspace="",
        demo=True,
    )


def demo_audit_path(started: datetime, pid: int | None = None) -> Path:
    """Each demo run keeps its own trail, named by when it started, so runs never interleave."""
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return state_home() / "bgtui" / DEMO_RUNS / f"{stamp}-{pid or os.getpid()}.jsonl"


class AfterHistory:
    """The demo's metrics: the first read waits until the emulator's process has written the
    first minutes of traffic, which it does while the console starts; after it, the demo's
    background work begins."""

    def __init__(
        self, metrics: Any, history_written: threading.Event, then: Callable[[], None]
    ) -> None:
        self._metrics = metrics
        self._history_written = history_written
        self._then = then

    def fetch(self, queries: Any, start: datetime, end: datetime) -> Any:
        self._history_written.wait(HISTORY_WAIT_S)
        try:
            return self._metrics.fetch(queries, start, end)
        finally:
            self._then()


@dataclass(frozen=True)
class DemoOptions:
    """How `bgtui demo` runs."""

    scenario: str | None = None
    """A training scenario by name; None: the demo world alone."""
    speed: float | None = None
    """The scenario clock's speed-up; None: 20 with a scenario, else real time."""
    provision: str = "boto3"
    """How the demo stack is created: boto3, terraform or auto."""
    read_only: bool = False


def run_demo(options: DemoOptions) -> int:
    from bgtui.demo.clock import ScenarioClock
    from bgtui.demo.scenario_world import prepare_scenario, wait_to_reopen
    from bgtui.demo.scenarios import demo_package, scenario_named

    scenario = scenario_named(options.scenario) if options.scenario else None
    speed = options.speed or (SCENARIO_SPEED if scenario else 1.0)
    if not 1.0 <= speed <= 600.0:
        raise BadInput(f"--speed must be from 1 to 600, not {speed:g}")
    clock = ScenarioClock(speed)
    interval = min(TRAFFIC_INTERVAL_S, max(0.5, 60.0 / speed / 2))
    provisioner = options.provision
    read_only = options.read_only

    def console_backend(url: str, terraform_dir: Path) -> Backend:
        """Built, clients and all, while the emulator's process starts on the other core."""
        import bgtui.ui.app  # noqa: F401 - the console's modules load meanwhile too
        from bgtui.app.wiring import build_backend

        settings = demo_settings(url, terraform_dir=terraform_dir)
        if read_only:
            settings = replace(settings, policy=replace(settings.policy, read_only=True))
        backend = build_backend(settings, clock=clock)
        if backend.context is not None:
            backend.context.warm()
        return backend

    with demo_world(
        interval_s=interval, provisioner=provisioner, warm_up=console_backend, clock=clock
    ) as world:
        backend = world.warmed
        backend.metrics = AfterHistory(
            backend.metrics, world.emulator.history_written, world.background.start
        )
        if scenario is not None:
            prepare_scenario(scenario, backend, world.endpoint_url)
            scenario.setup(backend.operations, demo_package)
        from bgtui.app.first_read import FirstRead
        from bgtui.app.service import ReleaseService
        from bgtui.ui.app import BgtuiApp
        from bgtui.ui.terraform_port import terraform_setup

        # The first services read runs while the console mounts.
        selected = scenario.function if scenario is not None else ""
        first_read = FirstRead.start(ReleaseService(backend), selected)
        setup, background = terraform_setup(backend.settings, demo=True), world.background

        def terraform_runner() -> Any:
            """The Terraform view's runner, once the demo's root is there (called on a thread)."""
            background.start()
            background.join()
            return setup.open_runner()

        app = BgtuiApp(
            backend,
            demo=True,
            clock=clock,
            scenario=scenario,
            terraform=terraform_runner,
            first_read=first_read,
        )
        app.run()
        # A scenario whose step happens while the console is closed: the demo world keeps
        # running (traffic, alarms, the guard) until the trainee reopens the console.
        while scenario is not None and not app.return_code and wait_to_reopen(scenario):
            app = BgtuiApp(
                backend, demo=True, clock=clock, scenario=scenario, terraform=terraform_runner
            )
            app.run()
    return int(app.return_code or 0)
