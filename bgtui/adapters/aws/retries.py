"""Retries for mutations: only a request AWS certainly did not carry out is sent again."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError

from bgtui.adapters.aws.errors import THROTTLING_CODES

T = TypeVar("T")
Sleep = Callable[[float], None]

WRITE_ATTEMPTS = 5
_BASE_DELAY_S = 0.25
_MAX_DELAY_S = 8.0
# The connection was never made, so the request was never sent.
_NOT_SENT = (EndpointConnectionError, ConnectTimeoutError)


def send_mutation(call: Callable[[], T], sleep: Sleep, attempts: int = WRITE_ATTEMPTS) -> T:
    """Run `call`, retrying only on throttling or on a connection that was never made.

    A timeout or a 5xx after the request left leaves the outcome unknown: retrying could
    apply a write twice (or fail with a conflict against our own write), so those errors
    go straight to the caller, which re-reads the state and decides.
    """
    for attempt in range(1, attempts):
        try:
            return call()
        except ClientError as error:
            if not was_refused(error):
                raise
            sleep(backoff_delay(attempt))
        except _NOT_SENT:
            sleep(backoff_delay(attempt))
    return call()


def was_refused(error: ClientError) -> bool:
    """True when AWS turned the request away unprocessed (throttling)."""
    code = error.response.get("Error", {}).get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return code in THROTTLING_CODES or status == 429


def backoff_delay(attempt: int) -> float:
    """Full-jitter exponential backoff, as botocore uses for its own retries."""
    return random.uniform(0, min(_MAX_DELAY_S, _BASE_DELAY_S * 2**attempt))
