"""Clocks on a console driven by `run_test()`: when messages arrive and when frames are composed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.message import Message
from textual.worker import WorkerState

ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)


class MessageClock:
    """A `run_test(message_hook=…)` hook: the first time each message was dispatched anywhere."""

    def __init__(self, wanted: Callable[[Message], bool]) -> None:
        self.wanted = wanted
        self.seen: list[tuple[float, Message]] = []
        self._ids: set[int] = set()

    def __call__(self, message: Message) -> None:
        if self.wanted(message) and id(message) not in self._ids:
            self._ids.add(id(message))
            self.seen.append((time.perf_counter(), message))


class FrameClock:
    """The perf_counter() of every frame the app composes.

    `App._display` is where each composed screen update is handed to the driver (which, headless,
    writes nothing); the widgets' lines have been rendered by then.
    """

    def __init__(self, app: App[Any]) -> None:
        self.frames: list[float] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is not None:
                self.frames.append(time.perf_counter())

        app._display = display  # type: ignore[method-assign]

    def first_after(self, moment: float) -> float | None:
        return next((at for at in self.frames if at > moment), None)

    async def wait_after(self, moment: float, timeout_s: float = 10.0) -> float:
        """The first frame composed after `moment`, waiting for it if needed."""
        deadline = time.perf_counter() + timeout_s
        while (found := self.first_after(moment)) is None:
            if time.perf_counter() > deadline:
                raise TimeoutError("no frame was composed")
            await asyncio.sleep(0.001)
        return found


async def settle(app: App[Any], timeout_s: float = 600.0) -> None:
    """Until no worker runs and the messages they posted were handled."""
    deadline = time.perf_counter() + timeout_s
    for _ in range(3):
        while any(worker.state in ACTIVE for worker in app.workers):
            if time.perf_counter() > deadline:
                raise TimeoutError("the console's workers were still running")
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
