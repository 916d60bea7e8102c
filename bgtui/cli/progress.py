"""A progress line on a terminal's stderr while a long read goes on, cleared when it ends."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

SHOWN_FROM = 20
"""Fewer services than this read in well under a second: no line."""
EVERY_S = 0.2
"""Updates at most five times a second: a terminal over SSH gets a few bytes, not thousands."""


class ProgressLine:
    """`bgtui: reading services in eu-west-1: 340 of 1000`, rewritten in place on a terminal;
    nothing at all when `stream` is not one (a pipe, a file, a CI log)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._on = stream.isatty()
        self._last_at: float | None = None
        self._width = 0

    def services(self, read: int, found: int, region: str) -> None:
        """Called from the reading threads as each service's aliases and stages are read."""
        if not self._on or found < SHOWN_FROM:
            return
        now = self._clock()
        if read < found and self._last_at is not None and now - self._last_at < EVERY_S:
            return
        self._last_at = now
        self._write(f"bgtui: reading services in {region}: {read} of {found}")

    def close(self) -> None:
        """Clear the line, so what follows starts on a clean one."""
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def _write(self, text: str) -> None:
        padding = " " * max(0, self._width - len(text))
        self._stream.write(f"\r{text}{padding}")
        self._stream.flush()
        self._width = len(text)
