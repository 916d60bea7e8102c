"""`bgtui emulator` as its own process, driven by separate `bgtui` processes, as operators would."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BGTUI = [sys.executable, "-m", "bgtui"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("emulator") / "emulator.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*BGTUI, "emulator", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while "listening on" not in log.read_text():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "emulator did not start in 60 s"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        assert proc.wait(20) == 0, log.read_text()


@pytest.fixture
def run(standalone: str, tmp_path: Path):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}

    def bgtui(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*BGTUI, "--endpoint-url", standalone, *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )

    bgtui.audit = tmp_path / "state" / "bgtui" / "emulator-audit.jsonl"  # type: ignore[attr-defined]
    return bgtui


def service(run, name: str) -> dict:
    done = run("status", name, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["services"][0]


def test_status_lists_demo_services_with_colours_and_versions(run) -> None:
    done = run("status", "--json")
    assert done.returncode == 0, done.stderr
    services = {s["function"]: s for s in json.loads(done.stdout)["services"]}
    assert {"payments-api", "ledger-writer"} <= set(services)
    for doc in services.values():
        assert doc["live"]["colour"] in ("blue", "green")
        assert doc["live"]["version"] == doc[doc["live"]["colour"]]["version"]
        assert doc["blue"]["version"] and doc["green"]["version"]


def test_test_promote_rollback_flip_and_restore(run) -> None:
    before = service(run, "payments-api")
    idle = "green" if before["live"]["colour"] == "blue" else "blue"
    assert run("test", "payments-api").returncode == 0
    done = run("promote", "payments-api", "--to", idle, "--reason", "x", "--yes")
    assert done.returncode == 0, done.stderr
    assert service(run, "payments-api")["live"]["colour"] == idle
    done = run("rollback", "payments-api", "--reason", "x", "--yes")
    assert done.returncode == 0, done.stderr
    assert service(run, "payments-api")["live"] == before["live"]


def test_two_operators_promoting_at_once_swap_exactly_once(run, tmp_path: Path) -> None:
    before = service(run, "payments-api")
    idle = "green" if before["live"]["colour"] == "blue" else "blue"
    assert run("test", "payments-api").returncode == 0
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    url = run("status").args[4]
    racers = [
        subprocess.Popen(
            [
                *BGTUI,
                "--endpoint-url",
                url,
                "promote",
                "payments-api",
                "--to",
                idle,
                "--reason",
                f"operator {n}",
                "--yes",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        for n in (1, 2)
    ]
    codes = sorted(p.wait(120) for p in racers)
    assert codes == [0, 3], [p.stderr.read() for p in racers]
    after = service(run, "payments-api")
    assert after["live"]["colour"] == idle
    assert after["previous"]["version"] == before["live"]["version"]
    records = [json.loads(line) for line in run.audit.read_text().splitlines()]
    outcomes = sorted(
        r["outcome"] for r in records if r["action"] == "promote" and r["phase"] == "outcome"
    )
    assert outcomes == ["conflict", "ok"]
    assert run("audit", "--verify").returncode == 0
    done = run("rollback", "payments-api", "--reason", "restore", "--yes")
    assert done.returncode == 0, done.stderr
