"""The console's first reads in a child process, on the other core, while it loads its interface.

A start spends most of its CPU on two things that do not need each other: importing and mounting
the interface, and the first reads (the SDK's clients, discovery, aliases, stages, alarms and
every series of the first services' metrics). Python's threads share one core's worth of
interpreter; a child forked before either begins has its own. The child writes its answer (and
the calls it made, for the call log) to a pipe and exits; the console takes it as the first
refresh's, or reads anew when anything is off.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from bgtui.adapters.aws.call_log import ApiCall
from bgtui.app.first_read import FirstClaim
from bgtui.app.refresh import HealthSnapshot, ServicesSnapshot
from bgtui.app.service import ReleaseService

MAX_ANSWER = 64 * 1024 * 1024
"""A first read of the services at start is some kilobytes; anything larger is not taken."""
WAIT_S = 30.0
"""The longest the first refresh waits for the child: its reads retry for less than this (the
SDK's timeouts and retries); a child still running then is stopped, and the console reads."""


@dataclass(frozen=True)
class ChildAnswer:
    """What the child read: the first refresh's services and health, and its API calls."""

    services: ServicesSnapshot
    health: HealthSnapshot | None
    calls: tuple[ApiCall, ...]
    metrics_requested: int


def fork_possible() -> bool:
    """Only where forking is safe: Linux (macOS frameworks may not survive a fork) and no
    thread yet, whose locks the child would inherit held."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class ForkedFirstRead:
    """The first reads done by a forked child; `take` and `take_health` as `FirstRead`'s.

    Whatever goes wrong in the child (no credentials, a bad configuration, AWS refusing) only
    means no answer: the console reads for itself, and reports what it finds then.
    """

    def __init__(self, pid: int, answer_fd: int, selected: str, wait_s: float = WAIT_S) -> None:
        self._pid = pid
        self._wait_s = wait_s
        self._fd = answer_fd
        self._claim = FirstClaim(selected)
        self._answer: ChildAnswer | None = None
        self._given: ChildAnswer | None = None
        """The answer the first refresh took: only its metrics go with it."""
        self._service: ReleaseService | None = None
        self._health_taken = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._receive, name="bgtui-first-read", daemon=True)
        self._thread.start()

    @classmethod
    def start(
        cls,
        build: Callable[[], ReleaseService],
        selected: str = "",
        possible: Callable[[], bool] = fork_possible,
        wait_s: float = WAIT_S,
    ) -> ForkedFirstRead | None:
        """Fork the child that reads with a service of its own from `build`; None where a
        fork is not safe (the caller reads on a thread instead)."""
        if not possible():
            return None
        answer_fd, child_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            os.close(answer_fd)
            _child(build, selected, child_fd)
        os.close(child_fd)
        return cls(pid, answer_fd, selected, wait_s)

    def answers_for(self, service: ReleaseService) -> None:
        """The console's own service: the answer is taken for it, its call log gets the calls."""
        self._service = service

    def take(
        self,
        service: ReleaseService,
        selected: str,
        on_screen: Sequence[str],
        read_before: frozenset[str],
        sweep_from: int,
    ) -> ServicesSnapshot | None:
        """The child's services, waited for, when this is the read it made; else None."""
        mine = self._service is not None and service.backend is self._service.backend
        if not self._claim.grant(mine, selected, on_screen, read_before, sweep_from):
            return None
        self._thread.join(self._wait_s)
        if self._thread.is_alive():
            # Stuck (an endpoint that never answers, a lock inherited held): stop it.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            return None
        answer = self._answer
        if answer is None:
            return None
        service.backend.call_log.absorb(answer.calls, answer.metrics_requested)
        self._given = answer
        return answer.services

    def take_health(self, keys: Collection[str], full: Collection[str]) -> HealthSnapshot | None:
        """The child's metrics of every series, when the first metrics read wants exactly
        every series of the services it read; else None."""
        with self._lock:
            if self._health_taken or self._given is None:
                return None
            self._health_taken = True
        health = self._given.health
        if health is None or set(keys) != set(full) or set(keys) != set(health.windows):
            return None
        return health

    def _receive(self) -> None:
        chunks, size = [], 0
        try:
            while chunk := os.read(self._fd, 1 << 16):
                size += len(chunk)
                if size > MAX_ANSWER:
                    return
                chunks.append(chunk)
        finally:
            os.close(self._fd)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
        with contextlib.suppress(Exception):
            found = pickle.loads(b"".join(chunks))
            if isinstance(found, ChildAnswer):
                self._answer = found


def _child(build: Callable[[], ReleaseService], selected: str, answer_fd: int) -> None:
    """Read, write the answer, exit; never touch the terminal the console is taking over."""
    code = 0
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        service = build()
        services = service.read_services(selected, (), frozenset(), 0)
        everything = {state.ref.function for state in services.states}
        try:
            health: HealthSnapshot | None = service.read_health(services.states, everything)
        except Exception:  # noqa: BLE001 - the console reads its metrics itself then
            health = None
        log = service.backend.call_log
        answer = ChildAnswer(services, health, log.calls(), log.metrics_requested())
        with os.fdopen(answer_fd, "wb") as out:
            out.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - no answer: the console reads for itself
        code = 1
    finally:
        os._exit(code)
