"""The benchmarks' side of an emulator process: start it, ask it to build services, stop it."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.bench.environment import REPO, bench_env


class HostError(RuntimeError):
    """The emulator process failed or answered something unexpected."""


class EmulatorHost:
    """`with EmulatorHost() as host:` — `host.url` serves until the block ends."""

    def __init__(self) -> None:
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._log = Path(tempfile.mkstemp(prefix="bench-host-", suffix=".log")[1])

    def start(self) -> EmulatorHost:
        with self._log.open("w") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.bench.host_process"],
                cwd=REPO,
                env=bench_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        self.url = str(self._read()["url"])
        return self

    def add_services(self, region: str, count: int, versions: int = 2) -> list[str]:
        """`count` more services in `region`, `versions` versions each; their function names."""
        doc = {"op": "add", "region": region, "count": count, "versions": versions}
        return list(self.request(doc)["functions"])

    def add_demo(self, region: str, interval_s: float, bulk: bool = False) -> list[str]:
        """The demo stack in `region`, with traffic every `interval_s` seconds from now on;
        `bulk` writes three plain services in-process instead (quicker)."""
        doc = {"op": "demo", "region": region, "interval": interval_s, "bulk": bulk}
        return list(self.request(doc)["functions"])

    def traffic_round(self, region: str) -> int:
        """One round of synthetic traffic (the first back-fills an hour); datapoints written."""
        return int(self.request({"op": "traffic", "region": region})["datapoints"])

    def resident_mib(self) -> float:
        return float(self.request({"op": "rss"})["rss_mib"])

    def request(self, doc: dict[str, Any]) -> dict[str, Any]:
        process = self._running()
        assert process.stdin is not None
        process.stdin.write(json.dumps(doc) + "\n")
        process.stdin.flush()
        return self._read()

    @property
    def pid(self) -> int:
        return self._running().pid

    def _running(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            raise HostError(f"the emulator process is not running: {self._log_text()}")
        return self._process

    def _read(self) -> dict[str, Any]:
        process = self._running()
        assert process.stdout is not None
        # Anything a library prints on stdout is skipped: answers are JSON objects.
        for line in process.stdout:
            if line.startswith("{"):
                return dict(json.loads(line))
        raise HostError(f"the emulator process stopped: {self._log_text()}")

    def _log_text(self) -> str:
        return self._log.read_text(errors="replace")[-2000:] if self._log.exists() else ""

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            assert process.stdin is not None
            process.stdin.close()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        self._log.unlink(missing_ok=True)

    def __enter__(self) -> EmulatorHost:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
