"""A record of every AWS API call the clients make, with the IAM action each one needs."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# botocore service names whose IAM prefix differs from the name.
_IAM_PREFIXES = {"resourcegroupstaggingapi": "tag", "monitoring": "cloudwatch"}
# Operations whose IAM action is not named after the API operation.
_IAM_RENAMES = {"lambda:Invoke": "lambda:InvokeFunction"}
_START_KEY = "bgtui_call_started"
KEEP_CALLS = 10_000
"""Calls kept in full: a console open for a shift makes tens of thousands; counts cover all."""


@dataclass(frozen=True)
class ApiCall:
    """One API call: `lambda:UpdateAlias`, when it started (epoch seconds) and how long it took."""

    name: str
    iam_action: str
    started_at: float
    duration_s: float
    ok: bool
    retries: int = 0
    """Attempts botocore repeated (throttling, 5xx); unknown, so 0, when no answer came."""


def iam_prefix(service_name: str) -> str:
    """The IAM service prefix of a botocore service name (`resourcegroupstaggingapi` → `tag`)."""
    return _IAM_PREFIXES.get(service_name, service_name)


def iam_action(call_name: str, http_method: str = "") -> str:
    """The IAM action a call needs; API Gateway authorises by HTTP method, not by operation."""
    if call_name.startswith("apigateway:"):
        return f"apigateway:{http_method or _apigateway_method(call_name)}"
    return _IAM_RENAMES.get(call_name, call_name)


def _apigateway_method(call_name: str) -> str:
    operation = call_name.partition(":")[2]
    verbs = (("Get", "GET"), ("Update", "PATCH"), ("Create", "POST"), ("Put", "PUT"))
    for verb, method in verbs:
        if operation.startswith(verb):
            return method
    return "DELETE" if operation.startswith("Delete") else "*"


class CallLog:
    """Thread-safe log of API calls, fed by botocore's before-call/after-call events.

    The latest `keep` calls are kept in full; counts, IAM actions and metrics requested
    cover every call since the start (or the last `reset`), in constant memory.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        timer: Callable[[], float] = time.perf_counter,
        keep: int = KEEP_CALLS,
    ) -> None:
        self._clock = clock
        self._timer = timer
        self._lock = threading.Lock()
        self._calls: deque[ApiCall] = deque(maxlen=keep)
        self._counts: Counter[str] = Counter()
        self._actions: set[str] = set()
        self._metrics_requested = 0

    def attach(self, client: Any) -> None:
        """Record every call this client makes from now on."""
        events = client.meta.events
        # First at the most specific level: a handler that answers the call itself (a Stubber,
        # a cache) stops the event, and the call must be recorded all the same.
        events.register_first("before-call.*.*", self._started, unique_id="bgtui-log-start")
        events.register("after-call.*.*", self._answered, unique_id="bgtui-log-answer")
        events.register("after-call-error.*.*", self._failed, unique_id="bgtui-log-error")
        events.register(
            "before-parameter-build.cloudwatch.GetMetricData",
            self._metrics_asked,
            unique_id="bgtui-log-metrics",
        )

    def calls(self) -> tuple[ApiCall, ...]:
        """The latest calls, oldest first (at most `keep` of them)."""
        with self._lock:
            return tuple(self._calls)

    def count(self, name: str | None = None) -> int:
        """How many calls were made, or how many of one kind (`lambda:UpdateAlias`)."""
        with self._lock:
            return self._counts.total() if name is None else self._counts[name]

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self._counts)

    def iam_actions(self) -> frozenset[str]:
        """Every IAM action the recorded calls needed: what a least-privilege policy must allow."""
        with self._lock:
            return frozenset(self._actions)

    def metrics_requested(self) -> int:
        """Metrics asked for in GetMetricData calls: what CloudWatch bills them by."""
        with self._lock:
            return self._metrics_requested

    def absorb(self, calls: Sequence[ApiCall], metrics_requested: int = 0) -> None:
        """Calls made for this log in another process (the console's first read)."""
        with self._lock:
            for call in calls:
                self._calls.append(call)
                self._counts[call.name] += 1
                self._actions.add(call.iam_action)
            self._metrics_requested += metrics_requested

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._counts.clear()
            self._actions.clear()
            self._metrics_requested = 0

    def _metrics_asked(self, params: dict[str, Any], **_: Any) -> None:
        with self._lock:
            self._metrics_requested += len(params.get("MetricDataQueries", ()))

    def _started(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        name = f"{iam_prefix(model.service_model.service_name)}:{model.name}"
        action = iam_action(name, model.http.get("method", ""))
        context[_START_KEY] = (name, action, self._clock(), self._timer())

    def _answered(
        self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        retries = parsed.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        self._finish(context, http_response.status_code < 300, retries)

    def _failed(self, context: dict[str, Any], **_: Any) -> None:
        self._finish(context, ok=False, retries=0)

    def _finish(self, context: dict[str, Any], ok: bool, retries: int) -> None:
        started = context.pop(_START_KEY, None)
        # A call already in flight when the log was attached has no start to measure from.
        if started is None:
            return
        name, action, started_at, timer_start = started
        call = ApiCall(name, action, started_at, self._timer() - timer_start, ok, retries)
        with self._lock:
            self._calls.append(call)
            self._counts[name] += 1
            self._actions.add(action)
