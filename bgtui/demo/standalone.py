"""The emulator as a foreground process: serve, provision, run traffic until SIGINT or SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from bgtui.demo.stack import provision_demo
from bgtui.demo.traffic import TrafficGenerator
from bgtui.emulator.fake_keys import FAKE_KEY
from bgtui.emulator.server import DEFAULT_REGION, Emulator

DEFAULT_PORT = 4599
TRAFFIC_INTERVAL_S = 10.0
SIGNAL_POLL_S = 0.25
"""How soon a SIGTERM or SIGINT that reached another thread stops the emulator."""


def run_standalone(
    port: int = DEFAULT_PORT,
    empty: bool = False,
    region: str = DEFAULT_REGION,
    out: TextIO = sys.stdout,
    *,
    stop: threading.Event | None = None,
    interval_s: float = TRAFFIC_INTERVAL_S,
) -> int:
    """Serve on 127.0.0.1:`port` until a signal (or `stop`) arrives; 0 on a clean shutdown.

    Raises BadInput when the port cannot be used. With `empty`, nothing is provisioned but
    traffic still runs, so services created later (e.g. by Terraform) get metrics too.
    """
    stop = stop or threading.Event()
    with Emulator(port=port, region=region) as emulator:
        services = [] if empty else provision_demo(emulator.url, region)
        traffic = TrafficGenerator(emulator.url, region)
        traffic.start(interval_s)
        try:
            # Handlers first: once "Ctrl-C" is printed, Ctrl-C must work.
            with _stop_on_signals(stop):
                _announce(out, emulator.url, region, len(services))
                # Never an untimed wait: a process's signal may reach any of its threads, and
                # Python runs the handler only once the main thread runs again.
                while not stop.wait(SIGNAL_POLL_S):
                    pass
        finally:
            traffic.stop()
    print("bgtui emulator stopped", file=out, flush=True)
    return 0


def _announce(out: TextIO, url: str, region: str, services: int) -> None:
    noun = "service" if services == 1 else "services"
    print(f"bgtui emulator listening on {url} (region {region}; {services} {noun})", file=out)
    print(
        f"export AWS_ENDPOINT_URL={url} AWS_ACCESS_KEY_ID={FAKE_KEY} "
        f"AWS_SECRET_ACCESS_KEY={FAKE_KEY} AWS_DEFAULT_REGION={region}",
        file=out,
    )
    print("Press Ctrl-C to stop.", file=out, flush=True)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set `stop`; only the main thread may install handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.getsignal(number) for number in wanted}
    for number in wanted:
        signal.signal(number, lambda *_: stop.set())
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
