"""What the console needs from a training walkthrough (`bgtui demo --scenario`)."""

from __future__ import annotations

from typing import Protocol

from bgtui.core.operations import BlueGreen


class Walkthrough(Protocol):
    """Satisfied by `bgtui.demo.scenarios.Scenario`."""

    function: str

    @property
    def finished(self) -> bool: ...

    def banner(self) -> str: ...

    def advance(self, operations: BlueGreen) -> bool:
        """Re-read the service; True when the current step was just seen done (blocking)."""
        ...

    def go_on(self) -> bool:
        """Move past the current step once it is done (the trainee's key)."""
        ...

    def go_back(self) -> bool:
        """Return to the step before (the trainer's key)."""
        ...
