"""What the console needs from a training walkthrough (`bgtui demo --scenario`)."""

from __future__ import annotations

from typing import Protocol

from bgtui.core.operations import BlueGreen


class Walkthrough(Protocol):
    """Satisfied by `bgtui.training.scenarios.Scenario`."""

    function: str

    @property
    def finished(self) -> bool: ...

    def banner(self) -> str: ...

    def advance(self, operations: BlueGreen) -> bool:
        """Re-read the service and move past every step that is done (blocking)."""
        ...
