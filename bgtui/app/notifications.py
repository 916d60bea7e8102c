"""Delivery of release events: a bounded queue, one worker thread, retries with backoff, audited."""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bgtui.app.notify_settings import (
    ENV_PREFIX,
    KEYRING_PREFIX,
    WEBHOOK_ENTRY_PREFIX,
    NotifySettings,
)
from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import BadInput, BgtuiError
from bgtui.core.notification import NOTIFY_ACTION, event_of
from bgtui.core.ports import NotifierPort
from bgtui.core.release_event import ReleaseEvent

Sleep = Callable[[float], object]
EXIT_WAIT_S = 3.0
"""How long a process that is ending waits for deliveries still under way."""


@dataclass(frozen=True)
class Delivery:
    """One event for one notifier, and the audit record it was made from."""

    event: ReleaseEvent
    record: AuditRecord
    notifier: NotifierPort


class NotificationQueue:
    """Hands each event of the audit trail to every notifier, off the thread that made it.

    `observe` (an AuditTrail observer) only queues, so no change or rollback waits on a
    receiver. Each delivery is tried `attempts` times, `first_delay_s` apart and doubling, and
    its result is appended to the audit trail as a `notify` record.
    """

    def __init__(
        self,
        notifiers: Sequence[NotifierPort],
        audit: AuditTrail,
        environment: str = "",
        attempts: int = 4,
        first_delay_s: float = 0.5,
        capacity: int = 64,
        sleep: Sleep | None = None,
    ) -> None:
        self.notifiers = tuple(notifiers)
        self.audit = audit
        self.environment = environment
        self.attempts = attempts
        self.first_delay_s = first_delay_s
        self.capacity = capacity
        self.unrecorded = 0
        """Results the audit trail could not take (a full disk): nowhere else to say so."""
        self._stop = threading.Event()
        self._sleep: Sleep = sleep or self._stop.wait
        # Re-entrant: a result is appended under the lock, and the trail tells `observe` of it.
        self._cond = threading.Condition(threading.RLock())
        self._pending: deque[Delivery] = deque()
        self._in_flight: Delivery | None = None
        self._closed = False
        self._worker: threading.Thread | None = None

    def observe(self, record: AuditRecord) -> None:
        """Queue the event `record` announces, if any; returns at once."""
        event = event_of(record, self.environment)
        if event is None:
            return
        with self._cond:
            for notifier in self.notifiers:
                delivery = Delivery(event, record, notifier)
                if self._closed:
                    self._record(delivery, "failed", 0, "raised after notifications closed")
                elif len(self._pending) >= self.capacity:
                    self._record(delivery, "failed", 0, "the notification queue was full")
                else:
                    self._pending.append(delivery)
            self._start()
            self._cond.notify_all()

    def close(self, timeout_s: float = EXIT_WAIT_S) -> None:
        """Wait up to `timeout_s` for what is queued, then record what was not delivered."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._pending or self._in_flight is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._closed = True
            self._stop.set()
            left_over = [*([self._in_flight] if self._in_flight else []), *self._pending]
            self._pending.clear()
            self._in_flight = None
            for delivery in left_over:
                self._record(delivery, "failed", 0, f"not delivered within {timeout_s:g} s of exit")
            self._cond.notify_all()

    def _start(self) -> None:
        if self._worker is None and not self._closed:
            self._worker = threading.Thread(target=self._run, name="bgtui-notify", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                delivery = self._in_flight = self._pending.popleft()
            attempts, error = self._deliver(delivery)
            with self._cond:
                if self._closed:
                    return  # `close` recorded it as not delivered
                self._record(delivery, "failed" if error else "delivered", attempts, error)
                self._in_flight = None
                self._cond.notify_all()

    def _deliver(self, delivery: Delivery) -> tuple[int, str]:
        delay = self.first_delay_s
        error = ""
        for attempt in range(1, self.attempts + 1):
            try:
                delivery.notifier.deliver(delivery.event)
                return attempt, ""
            except BgtuiError as failed:
                error = str(failed)
            except Exception as failed:  # noqa: BLE001 - a notifier's bug must not stop the others
                error = f"the notifier failed ({type(failed).__name__})"
            if attempt == self.attempts or self._stop.is_set():
                return attempt, error
            self._sleep(delay)
            delay *= 2
        return self.attempts, error

    def _record(self, delivery: Delivery, outcome: str, attempts: int, error: str) -> None:
        source = delivery.record
        try:
            self.audit.append(
                AuditRecord(
                    action=NOTIFY_ACTION,
                    phase="outcome",
                    function=source.function,
                    region=source.region,
                    account=source.account,
                    actor=source.actor,
                    reason=f"{delivery.event.name} of record {source.seq}",
                    outcome=outcome,
                    error=error,
                    extra={
                        "event": delivery.event.name,
                        "notifies": source.seq,
                        "channel": delivery.notifier.target,
                        "attempts": attempts,
                    },
                )
            )
        except (BgtuiError, OSError):
            self.unrecorded += 1


def webhook_url(reference: str, env: Mapping[str, str] = os.environ) -> str:
    """The URL a `keyring:NAME` or `env:VARIABLE` reference stands for (a keyring read blocks)."""
    if reference.startswith(ENV_PREFIX):
        name = reference.removeprefix(ENV_PREFIX)
        value = env.get(name, "").strip()
        if not value:
            raise BadInput(f"webhook {reference}: the environment variable {name} is not set")
        return value
    from bgtui.adapters.keyring.secrets import default_store

    name = reference.removeprefix(KEYRING_PREFIX)
    store = default_store()
    stored = store.get(WEBHOOK_ENTRY_PREFIX + name)
    if not stored:
        raise BadInput(
            f"webhook {reference}: no entry {WEBHOOK_ENTRY_PREFIX}{name} in the "
            f"{store.description}; store it with `bgtui secrets set-webhook {name}`"
        )
    return stored


def notifiers(
    settings: NotifySettings,
    sns_topic: Callable[[str], NotifierPort],
    env: Mapping[str, str] = os.environ,
) -> list[NotifierPort]:
    """A notifier per configured webhook and topic; each URL is read at its first delivery."""
    from bgtui.adapters.aws.webhook import Webhook

    found: list[NotifierPort] = [
        Webhook(functools.partial(webhook_url, ref, env), ref) for ref in settings.webhooks
    ]
    if settings.sns_topic_arn:
        found.append(sns_topic(settings.sns_topic_arn))
    return found
