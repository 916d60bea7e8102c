"""What the benchmarks share in one run: their sizes, a scratch home, one emulator process."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from tests.bench.environment import REGION, bgtui_command
from tests.bench.host import EmulatorHost

# Each benchmark builds its services in a region of its own: discovery sees only them.
REGIONS = (
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
)
DEMO_TRAFFIC_INTERVAL_S = 10.0


@dataclass(frozen=True)
class BenchConfig:
    """Sizes and repetitions; `QUICK` runs everything once at minimal size."""

    runs: int = 5
    """Repetitions of each in-process measurement (the figure is their median)."""
    startup_runs: int = 5
    demo_runs: int = 3
    """`bgtui demo` starts measured besides `bgtui --endpoint-url` (0 leaves them out)."""
    status_sizes: tuple[int, ...] = (1, 10, 100)
    cli_services: int = 10
    cli_runs: int = 3
    real_aws_cli: bool = True
    """The AWS CLI from `.venv-bench`; False uses the stand-in (same calls, quicker start)."""
    metrics_services: int = 20
    """20 services are 480 series: close to GetMetricData's 500-query cap."""
    refreshes: int = 10
    swaps: int = 5
    scale_services: int = 1000
    scale_versions: int = 50
    filter_text: str = "ledger"
    idle_seconds: float = 60.0
    refresh_seconds: float = 5.0
    demo_stack: bool = True
    """The console benchmarks run on the demo stack (False: three services written in-process)."""
    settle_s: float = 2.0
    """Wait after a console's first frame (its selected service's versions load then)."""
    status_process: bool = True
    """Also time `bgtui status --json` as a process in the AWS CLI comparison."""
    terraform_lines: int = 20
    terraform_pause_s: float = 0.1
    import_runs: int = 3
    cost_sizes: tuple[int, ...] = (3, 20)
    """Services on screen in the cost figures: the demo's three, and twenty."""
    cost_minutes: float = 20.0
    """Simulated minutes of console life per size (a multiple of the five-minute glance)."""


QUICK = BenchConfig(
    runs=1,
    startup_runs=1,
    demo_runs=0,
    status_sizes=(2,),
    cli_services=1,
    cli_runs=1,
    real_aws_cli=False,
    metrics_services=2,
    refreshes=1,
    swaps=1,
    scale_services=12,
    scale_versions=3,
    filter_text="le",
    idle_seconds=1.0,
    refresh_seconds=1.0,
    demo_stack=False,
    settle_s=0.3,
    status_process=False,
    terraform_lines=3,
    terraform_pause_s=0.05,
    import_runs=1,
    cost_sizes=(3,),
    cost_minutes=6.0,
)


class BenchWorld:
    """A scratch configuration/state home and one emulator process, started on first use."""

    def __init__(self, config: BenchConfig) -> None:
        self.config = config
        self.home = Path(tempfile.mkdtemp(prefix="bgtui-bench-"))
        self._host: EmulatorHost | None = None
        self._regions = iter(REGIONS)
        self._demo = False

    @property
    def host(self) -> EmulatorHost:
        if self._host is None:
            self._host = EmulatorHost().start()
        return self._host

    @property
    def url(self) -> str:
        return self.host.url

    def region(self) -> str:
        """A region nobody has built services in yet."""
        try:
            return next(self._regions)
        except StopIteration:
            raise RuntimeError("every benchmark region is taken") from None

    def demo_region(self) -> str:
        """The demo stack with traffic running, as `bgtui emulator` serves it (built once)."""
        if not self._demo:
            self.host.add_demo(REGION, DEMO_TRAFFIC_INTERVAL_S, bulk=not self.config.demo_stack)
            self._demo = True
        return REGION

    def backend(self, region: str) -> Backend:
        """A real backend on the emulator; its audit trail stays in the scratch home."""
        settings = Settings(
            endpoint_url=self.url,
            region=region,
            audit_path=self.home / "state" / "bgtui" / "audit.jsonl",
        )
        return build_backend(replace(settings, refresh_seconds=self.config.refresh_seconds))

    def console_command(self, region: str) -> list[str]:
        """The real `bgtui` console against the emulator, in `region`."""
        return [*bgtui_command(), "--endpoint-url", self.url, "--region", region]

    def write_console_config(self) -> Path:
        """The console's refresh interval, as an operator would set it."""
        path = self.home / "config" / "bgtui" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"[console]\nrefresh_seconds = {self.config.refresh_seconds}\n", encoding="utf-8"
        )
        return path

    def close(self) -> None:
        if self._host is not None:
            self._host.stop()
            self._host = None
        shutil.rmtree(self.home, ignore_errors=True)
