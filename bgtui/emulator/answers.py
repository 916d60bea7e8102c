"""The canned answers of an invocation: the healthy payload, the Unhandled error, the log tail."""

from __future__ import annotations

import base64
import json

from bgtui.emulator.behaviour import Behaviour


def healthy_payload(version: str) -> bytes:
    body = json.dumps({"ok": True, "version": version})
    return json.dumps({"statusCode": 200, "body": body}).encode()


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


def log_tail(request_id: str, version: str, behaviour: Behaviour, duration_ms: float) -> str:
    """The base64 `LogResult` of a `LogType=Tail` invocation."""
    lines = [f"START RequestId: {request_id} Version: {version}"]
    if not behaviour.healthy:
        lines.append(f"[ERROR] {behaviour.failure}")
    lines += [
        f"END RequestId: {request_id}",
        f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms",
    ]
    return base64.b64encode(("\n".join(lines) + "\n").encode()).decode()
