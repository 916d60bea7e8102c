"""A scenario clock that can run faster than real time, shared by traffic and console."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class ScenarioClock:
    """Scenario time: starts at the real time and runs `speed` times faster."""

    def __init__(self, speed: float = 1.0, start: datetime | None = None) -> None:
        if not 1.0 <= speed <= 600.0:
            raise ValueError("speed must be from 1 to 600")
        self.speed = speed
        self.start = start or datetime.now(UTC)
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        elapsed = (time.monotonic() - self._origin) * self.speed
        return self.start + timedelta(seconds=elapsed)
