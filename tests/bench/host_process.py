"""An emulator process for the benchmarks: serves on 127.0.0.1:0 and builds services on request.

Run as `python -m tests.bench.host_process`. It prints `{"url": ...}` when it listens, then
answers one JSON line per request read from stdin, and stops at end of input. Every request
names a region: benchmarks share one process and keep apart by region, as moto keeps state
per region.

- `{"op": "add", "region": R, "count": N, "versions": V}` → `{"functions": [...]}`
- `{"op": "demo", "region": R, "interval": S, "bulk": B}` → the demo stack, provisioned over
  HTTP as `bgtui emulator` does (with `bulk`, three services written in-process instead), with
  traffic every S seconds (the first round back-fills an hour)
- `{"op": "traffic", "region": R}` → one traffic round now → `{"datapoints": N}`
- `{"op": "rss"}` → this process's resident memory in MiB

The emulator lives in its own process so that what a benchmark measures in bgtui does not share
an interpreter (and its lock) with the server answering it, as it would not against AWS.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from bgtui.demo.stack import provision_demo
from bgtui.demo.traffic import TrafficGenerator
from bgtui.emulator.server import Emulator
from tests.bench.bulk import create_services

TRAFFIC_SEED = 20260105
DEMO_SIZE = 3


class Host:
    """The emulator, how many services each region has, and the traffic of each region."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.created: dict[str, int] = {}
        self.traffic: dict[str, TrafficGenerator] = {}

    def add(self, request: dict[str, Any]) -> dict[str, Any]:
        region, count = request["region"], int(request["count"])
        first = self.created.get(region, 0)
        services = create_services(first, count, int(request.get("versions", 2)), region)
        self.created[region] = first + count
        return {"functions": [s.function for s in services]}

    def demo(self, request: dict[str, Any]) -> dict[str, Any]:
        region = request["region"]
        if request.get("bulk"):
            functions = [s.function for s in create_services(0, DEMO_SIZE, 3, region)]
        else:
            functions = provision_demo(self.emulator.url, region)
        self._traffic(region).start(float(request.get("interval", 10.0)))
        return {"functions": functions}

    def tick(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"datapoints": self._traffic(request["region"]).tick().datapoints}

    def rss(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"rss_mib": resident_mib("self")}

    def _traffic(self, region: str) -> TrafficGenerator:
        if region not in self.traffic:
            rng = random.Random(TRAFFIC_SEED)
            self.traffic[region] = TrafficGenerator(self.emulator.url, region, rng=rng)
        return self.traffic[region]

    def stop(self) -> None:
        for generator in self.traffic.values():
            generator.stop()


def resident_mib(pid: int | str) -> float:
    """VmRSS of a process from /proc, in MiB."""
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for process {pid}")


def serve(requests: TextIO, answers: TextIO) -> None:
    with Emulator() as emulator:
        host = Host(emulator)
        operations: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "add": host.add,
            "demo": host.demo,
            "traffic": host.tick,
            "rss": host.rss,
        }
        _answer(answers, {"url": emulator.url})
        try:
            for line in requests:
                request = json.loads(line)
                started = time.perf_counter()
                answer = operations[request["op"]](request)
                _answer(answers, answer | {"seconds": time.perf_counter() - started})
        finally:
            host.stop()


def _answer(answers: TextIO, doc: dict[str, Any]) -> None:
    answers.write(json.dumps(doc) + "\n")
    answers.flush()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
