"""The standalone emulator: banner, environment exports, clean shutdown on a signal, bad ports."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from bgtui.cli.main import main
from bgtui.core.errors import BadInput
from bgtui.demo.standalone import run_standalone
from bgtui.emulator.clients import EmulatorClients

BANNER = re.compile(
    r"bgtui emulator listening on (http://127\.0\.0\.1:\d+) \(region (\S+); (\d+) services?\)"
)


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def _wait_for(predicate: object, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_an_empty_emulator_announces_itself_and_stops_cleanly() -> None:
    out, stop, codes = io.StringIO(), threading.Event(), []
    runner = threading.Thread(
        target=lambda: codes.append(
            run_standalone(0, empty=True, region="eu-west-1", out=out, stop=stop, interval_s=0.05)
        )
    )
    runner.start()
    _wait_for(lambda: "Ctrl-C" in out.getvalue())
    banner = BANNER.search(out.getvalue())
    assert banner is not None and banner.group(2, 3) == ("eu-west-1", "0")
    url = banner.group(1)
    assert (
        f"export AWS_ENDPOINT_URL={url} AWS_ACCESS_KEY_ID=testing "
        "AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-west-1"
    ) in out.getvalue()
    stop.set()
    runner.join(10)
    assert codes == [0] and out.getvalue().endswith("bgtui emulator stopped\n")


def test_a_port_in_use_is_bad_input(taken_port: int) -> None:
    with pytest.raises(BadInput, match="already in use"):
        run_standalone(taken_port, empty=True, out=io.StringIO(), stop=threading.Event())


def test_the_emulator_command_reports_a_taken_port_in_one_line(
    taken_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["emulator", "--port", str(taken_port), "--empty"]) == 2
    err = capsys.readouterr().err
    assert err == f"bgtui: bad input: port {taken_port} on 127.0.0.1 is already in use\n"


def test_an_impossible_port_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulator", "--port", "70000"]) == 2
    assert "70000" in capsys.readouterr().err


def test_sigterm_stops_the_demo_stack_cleanly() -> None:
    out = io.StringIO()

    def terminate_once_announced() -> None:
        try:
            _wait_for(lambda: "Ctrl-C" in out.getvalue(), timeout_s=120)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=terminate_once_announced)
    killer.start()
    code = run_standalone(0, empty=False, out=out, interval_s=0.05)
    killer.join(10)
    banner = BANNER.search(out.getvalue())
    assert code == 0 and banner is not None and banner.group(3) == "3"
    assert out.getvalue().endswith("bgtui emulator stopped\n")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_sigterm_that_reaches_another_thread_still_stops_the_emulator() -> None:
    """A process-directed signal is delivered to any one of its threads that does not block it
    (signal(7)), and CPython runs Python handlers in the main thread only (the `signal` module's
    documentation), so the main thread must not sleep in a wait nothing else wakes. Here the
    SIGTERM is sent to a worker thread; the emulator stops at once (the worker would stop it
    itself after 10 s, which is what an untimed wait needed)."""
    out, stop = io.StringIO(), threading.Event()
    signalled: list[float] = []

    def terminate_in_this_thread() -> None:
        _wait_for(lambda: "Ctrl-C" in out.getvalue(), timeout_s=60)
        signalled.append(time.monotonic())
        signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
        if not stop.wait(10):
            stop.set()

    killer = threading.Thread(target=terminate_in_this_thread)
    killer.start()
    code = run_standalone(0, empty=True, out=out, stop=stop, interval_s=60)
    stopped_at = time.monotonic()
    killer.join(15)
    announced = out.getvalue()
    assert code == 0 and announced.endswith("bgtui emulator stopped\n")
    assert stopped_at - signalled[0] < 3, f"stopped {stopped_at - signalled[0]:.1f} s after SIGTERM"


def test_the_emulator_command_serves_until_ctrl_c() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "bgtui", "emulator", "--port", "0", "--empty"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner = BANNER.match(process.stdout.readline())
        assert banner is not None and banner.group(3) == "0"
        assert EmulatorClients(banner.group(1)).lambda_.list_functions()["Functions"] == []
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.endswith("bgtui emulator stopped\n") and err == ""
