"""The console's first services read, started while the console is still loading and mounting."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Collection, Sequence

from bgtui.app.refresh import HealthSnapshot, ServicesSnapshot
from bgtui.app.service import ReleaseService
from bgtui.core.errors import BgtuiError

FIRST_ARGUMENTS: tuple[str, tuple[str, ...], frozenset[str], int] = ("", (), frozenset(), 0)
"""What the console's first refresh reads with: nothing selected, on screen or read before."""


class FirstClaim:
    """Whether a refresh may take a read made ahead: the read it made, for the console's own
    backend, and only the first time it is asked."""

    def __init__(self, selected: str) -> None:
        self.arguments = (selected, *FIRST_ARGUMENTS[1:])
        self._taken = False
        self._lock = threading.Lock()

    def grant(
        self,
        mine: bool,
        selected: str,
        on_screen: Sequence[str],
        read_before: frozenset[str],
        sweep_from: int,
    ) -> bool:
        asked = (selected, tuple(on_screen), read_before, sweep_from)
        with self._lock:
            if self._taken or not mine or asked != self.arguments:
                return False
            self._taken = True
            return True


class FirstRead:
    """`service.read_services` with the first refresh's arguments, on a thread of its own.

    The clients, the discovery and the first aliases, stages and alarms are read while the
    interface is imported and mounted; the first refresh takes the answer (or the error)
    instead of asking again. Anything else, or a second take, is left to a read of its own.
    """

    def __init__(self, service: ReleaseService, selected: str = "") -> None:
        self.service = service
        self._claim = FirstClaim(selected)
        self._answer: ServicesSnapshot | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="bgtui-first-read", daemon=True)

    @classmethod
    def start(cls, service: ReleaseService, selected: str = "") -> FirstRead:
        first = cls(service, selected)
        first._thread.start()
        return first

    def _read(self) -> None:
        selected, on_screen, read_before, sweep_from = self._claim.arguments
        try:
            self._answer = self.service.read_services(selected, on_screen, read_before, sweep_from)
        except BaseException as error:  # noqa: BLE001 - raised by the refresh that takes it
            self._error = error
            return
        # The metrics read follows at once: its client is built meanwhile. A client that
        # cannot be built is left to that read, which builds it again and reports why.
        context = self.service.backend.context
        if context is not None:
            with contextlib.suppress(BgtuiError):
                context.client("cloudwatch")

    def take(
        self,
        service: ReleaseService,
        selected: str,
        on_screen: Sequence[str],
        read_before: frozenset[str],
        sweep_from: int,
    ) -> ServicesSnapshot | None:
        """The answer, waited for, when this is the read it made (same backend, same
        arguments, first time asked); else None, and the caller reads anew."""
        mine = service.backend is self.service.backend
        if not self._claim.grant(mine, selected, on_screen, read_before, sweep_from):
            return None
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._answer

    def take_health(self, keys: Collection[str], full: Collection[str]) -> HealthSnapshot | None:
        """None: a read on a thread shares the console's core, so it only builds the metrics
        client ahead; the metrics are read by the refresh."""
        return None
