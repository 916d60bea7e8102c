"""The demo's emulator in a process of its own: it starts and provisions on the second core while
the console starts on the first, and ends when the console closes its standard input."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from bgtui.core.errors import BadInput, BgtuiError

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.type_defs import MetricDatumTypeDef

    from bgtui.demo.traffic import MetricWriter

LOG_FILE = "emulator.log"
LOCALHOST = "127.0.0.1"
HISTORY = "history_written"
READY_TIMEOUT_S = 600.0  # provisioning through terraform takes a minute on a busy host
VALUED = {"--region", "--run-dir", "--provision", "--port"}
USAGE = "--region R --run-dir D [--provision P] [--port N] [--empty]"


@dataclass(frozen=True)
class Ready:
    """What the emulator's process announces once the demo stack is there with its history."""

    url: str
    functions: list[str]
    provisioned_by: str
    written_until: datetime | None


@dataclass(frozen=True)
class ProcessOptions:
    """The emulator process's command line, as the console writes it and the process reads it."""

    region: str
    run_dir: Path
    provision: str = "boto3"
    port: int = 0
    empty: bool = False

    def argv(self) -> list[str]:
        items = ["--region", self.region, "--port", str(self.port)]
        items += ["--provision", self.provision, "--run-dir", str(self.run_dir)]
        return items + (["--empty"] if self.empty else [])

    @classmethod
    def parse(cls, argv: Sequence[str]) -> ProcessOptions:
        """The items `argv()` writes; anything else is bad input."""
        flags = [item for item in argv if item == "--empty"]
        rest = [item for item in argv if item != "--empty"]
        pairs = dict(zip(rest[::2], rest[1::2], strict=False))
        if len(rest) % 2 or not set(pairs) <= VALUED or not {"--region", "--run-dir"} <= set(pairs):
            raise BadInput(f"usage: python -m bgtui.demo.process {USAGE}, not {list(argv)!r}")
        port = pairs.get("--port", "0")
        if not port.isdigit():
            raise BadInput(f"--port must be a number, not {port!r}")
        provision = pairs.get("--provision", "boto3")
        return cls(pairs["--region"], Path(pairs["--run-dir"]), provision, int(port), bool(flags))


class DemoEmulator:
    """The child process, from the console's side: started at once, waited for when needed."""

    def __init__(self, region: str, provisioner: str, run_dir: Path, empty: bool = False) -> None:
        self.log_path = run_dir / LOG_FILE
        self.port = free_port()
        self.url = f"http://{LOCALHOST}:{self.port}"
        """Known at once, so the console builds its clients while the emulator starts."""
        options = ProcessOptions(region, run_dir, provisioner, self.port, empty)
        command = [sys.executable, "-m", "bgtui.demo.process", *options.argv()]
        self.history_written = threading.Event()
        """Set once the first minutes of traffic are in (or the process has gone)."""
        with self.log_path.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
            )

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> Ready:
        """Block until the process says it is ready; its last log line when it dies instead."""
        stdout = self.process.stdout
        assert stdout is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            readable, _, _ = select.select([stdout], [], [], 0.1)
            if readable:
                line = stdout.readline()
                if line:
                    ready = _ready_from(line)
                    threading.Thread(target=self._await_history, daemon=True).start()
                    return ready
            if self.process.poll() is not None:
                raise BgtuiError(f"the demo's emulator stopped: {self._last_log_line()}")
        raise BgtuiError(f"the demo's emulator was not ready within {timeout_s:.0f} s")

    def _await_history(self) -> None:
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                if HISTORY in line:
                    break
        except (OSError, ValueError):
            pass  # the pipe closed on the way out: nobody waits any more
        finally:
            self.history_written.set()

    def _last_log_line(self) -> str:
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit code {self.process.returncode}"

    def stop(self) -> None:
        """Close its input (its signal to stop) and wait; kill it only if it does not go."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> DemoEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


def _ready_from(line: str) -> Ready:
    try:
        doc = json.loads(line)
        until = doc.get("written_until")
        return Ready(
            str(doc["url"]),
            [str(f) for f in doc["functions"]],
            str(doc["provisioned_by"]),
            datetime.fromisoformat(until) if until else None,
        )
    except (ValueError, KeyError, TypeError):
        raise BgtuiError(f"the demo's emulator said something unexpected: {line[:200]!r}") from None


def serve(region: str, provisioner: str, run_dir: Path, empty: bool, port: int) -> int:
    """The process's side: serve, provision, write the first round of traffic, announce, wait."""
    from bgtui.demo.provisioning import provision, use_demo_credentials
    from bgtui.demo.traffic import TrafficGenerator, minute_floor, utc_now
    from bgtui.emulator.server import Emulator

    use_demo_credentials()
    with Emulator(port=port, region=region) as emulator:
        functions, how = (
            ([], "none") if empty else provision(emulator, provisioner, run_dir, sys.stderr)
        )
        started = utc_now()
        announced = {
            "url": emulator.url,
            "functions": functions,
            "provisioned_by": how,
            "written_until": minute_floor(started).isoformat(),
        }
        # Announced before the history is written: the console starts meanwhile.
        print(json.dumps(announced), flush=True)
        write = _write_in_process(region)
        TrafficGenerator(emulator.url, region, clock=lambda: started, write=write).tick()
        print(json.dumps({HISTORY: True}), flush=True)
        sys.stdin.read()  # the console closed its end (or died): stop serving
    return 0


def _write_in_process(region: str) -> MetricWriter:
    """The history written straight into this process's CloudWatch backend: the same
    PutMetricData members, without a round trip over HTTP for each thousand of them."""
    from moto.cloudwatch.models import cloudwatch_backends
    from moto.core.models import DEFAULT_ACCOUNT_ID

    def write(namespace: str, members: list[MetricDatumTypeDef]) -> None:
        # moto's backend reads the members as plain dicts of the same shape.
        plain = cast("list[dict[str, Any]]", members)
        cloudwatch_backends[DEFAULT_ACCOUNT_ID][region].put_metric_data(namespace, plain)

    return write


def main(argv: Sequence[str] | None = None) -> int:
    try:
        options = ProcessOptions.parse(sys.argv[1:] if argv is None else argv)
        return serve(
            options.region, options.provision, options.run_dir, options.empty, options.port
        )
    except BgtuiError as error:
        print(f"{error.title}: {error}", file=sys.stderr, flush=True)
        return error.exit_code


if __name__ == "__main__":
    # Ctrl-C at the terminal reaches the whole process group; the console decides when to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The server is stopped; tearing down moto's state and idle keep-alive threads would only
    # keep the console waiting on its way out.
    os._exit(code)
