"""The emulator's Python runtime inside the subprocess: import the handler, call it, report back.

Run as a script (`python -I -S lambda_bootstrap.py`) in the extracted package's directory, with
the invocation as JSON on stdin; the outcome is one JSON document on stdout, and everything
the handler prints goes to stderr, the invocation's log. Handler loading, error documents and
the context object follow AWS's Python runtime interface client (awslambdaric: bootstrap.py,
lambda_context.py, lambda_runtime_exception.py). Standard library only.
"""

from __future__ import annotations

import base64
import decimal
import importlib
import json
import os
import sys
import time
import traceback
from typing import Any

_THIS_FILE = os.path.abspath(__file__)


class Fault(Exception):
    """A runtime error Lambda reports with its own `Runtime.*` error type."""

    def __init__(self, error_type: str, message: str, trace: list[str] | None = None) -> None:
        super().__init__(message)
        self.error_type, self.message, self.trace = error_type, message, trace or []


class LambdaContext:
    """The context object Lambda passes to a Python handler."""

    def __init__(self, invocation: dict[str, Any]) -> None:
        self.aws_request_id = invocation["request_id"]
        self.invoked_function_arn = invocation["invoked_function_arn"]
        # The runtime reads these from its environment, so they are strings there too.
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        self._deadline_ms = int(invocation["deadline_ms"])

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def load_handler(name: str) -> Any:
    try:
        module_name, function_name = name.rsplit(".", 1)
    except ValueError as error:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{name}': {error}") from None
    if module_name.split(".")[0] in sys.builtin_module_names:
        message = f"Cannot use built-in module {module_name} as a handler module"
        raise Fault("Runtime.BuiltInModuleConflict", message)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        message = f"Unable to import module '{module_name}': {error}"
        raise Fault("Runtime.ImportModuleError", message) from None
    except SyntaxError as error:
        trace = [f'  File "{error.filename}" Line {error.lineno}\n    {error.text}']
        message = f"Syntax error in module '{module_name}': {error}"
        raise Fault("Runtime.UserCodeSyntaxError", message, trace) from None
    try:
        return getattr(module, function_name)
    except AttributeError:
        message = f"Handler '{function_name}' missing on module '{module_name}'"
        raise Fault("Runtime.HandlerNotFound", message) from None


def _encode_decimal(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def marshal(result: Any) -> str:
    try:
        return json.dumps(result, default=_encode_decimal)
    except (TypeError, ValueError) as error:
        raise Fault("Runtime.MarshalError", f"Unable to marshal response: {error}") from None


def user_frames(error: BaseException) -> list[str]:
    """The traceback from the first frame outside this file, formatted as Lambda does."""
    frames = traceback.extract_tb(error.__traceback__)
    while frames and os.path.abspath(frames[0].filename) == _THIS_FILE:
        frames.pop(0)
    return traceback.format_list(frames)


def error_document(
    error_type: str, message: str, trace: list[str], request_id: str
) -> dict[str, Any]:
    return {
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": trace,
    }


def invoke(invocation: dict[str, Any]) -> dict[str, Any]:
    request_id = invocation["request_id"]
    try:
        handler = load_handler(invocation["handler"])
        try:
            event = json.loads(invocation["event"])
        except ValueError as error:
            raise Fault("Runtime.UnmarshalError", f"Unable to unmarshal input: {error}") from None
        result = handler(event, LambdaContext(invocation))
        if isinstance(result, bytes):
            return {"payload_base64": base64.b64encode(result).decode()}
        return {"payload": marshal(result)}
    except Fault as fault:
        return {"error": error_document(fault.error_type, fault.message, fault.trace, request_id)}
    except Exception as error:  # noqa: BLE001 - whatever the handler raises is its answer
        trace = user_frames(error)
        return {"error": error_document(type(error).__name__, str(error), trace, request_id)}


def log_error(error: dict[str, Any]) -> None:
    lines = [f"[ERROR] {error['errorType']}: {error['errorMessage']}"]
    if error["stackTrace"]:
        lines += ["Traceback (most recent call last):", *error["stackTrace"]]
    sys.stderr.write("\n".join(line.rstrip("\n") for line in lines) + "\n")


def main() -> None:
    # The outcome keeps the real stdout; what the handler prints joins the log on stderr.
    outcome = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr  # one stream, so prints and the error report keep their order
    invocation = json.loads(sys.stdin.read())
    sys.path.insert(0, os.getcwd())
    sys.path.extend(invocation.get("library_paths", []))
    answer = invoke(invocation)
    if "error" in answer:
        log_error(answer["error"])
    sys.stdout.flush()
    sys.stderr.flush()
    outcome.write(json.dumps(answer))
    outcome.close()


if __name__ == "__main__":
    main()
