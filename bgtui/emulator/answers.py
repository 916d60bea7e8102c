"""The canned answers of an invocation: the healthy payload, the Unhandled error, the logs."""

from __future__ import annotations

import base64
import json

from bgtui.core.smoke import VERSION_HEADER
from bgtui.emulator.behaviour import Behaviour

LOG_RESULT_BYTES = 4096
"""Lambda returns the last 4 KB of the execution log as `LogResult`."""


def healthy_payload(version: str) -> bytes:
    """A Lambda proxy answer that names the version that served it, as the demo's code does."""
    body = json.dumps({"ok": True, "version": version})
    headers = {"Content-Type": "application/json", VERSION_HEADER: version}
    return json.dumps({"statusCode": 200, "headers": headers, "body": body}).encode()


def error_payload(behaviour: Behaviour, request_id: str) -> bytes:
    """The document Lambda returns when the handler raised (FunctionError `Unhandled`)."""
    doc = {
        "errorMessage": behaviour.error_message,
        "errorType": behaviour.error_type,
        "requestId": request_id,
        "stackTrace": [
            '  File "/var/task/index.py", line 9, in handler\n    return process(event)\n'
        ],
    }
    return json.dumps(doc).encode()


def canned_log(behaviour: Behaviour) -> str:
    """What a synthetic version prints: nothing when healthy, its error when broken."""
    return "" if behaviour.healthy else f"[ERROR] {behaviour.failure}\n"


def execution_log(request_id: str, version: str, printed: str, duration_ms: float) -> str:
    """The invocation's log as Lambda frames it: START, what the function printed, END, REPORT."""
    return (
        f"START RequestId: {request_id} Version: {version}\n"
        f"{printed}"
        f"END RequestId: {request_id}\n"
        f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\n"
    )


def log_result(log: str) -> str:
    """The base64 `LogResult` of a `LogType=Tail` invocation: the log's last 4 KB."""
    return base64.b64encode(log.encode()[-LOG_RESULT_BYTES:]).decode()
