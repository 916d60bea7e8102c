"""The emulator runs the handler of a deployed zip, as Lambda's Python runtime would.

Error documents, handler loading and the context object are checked against AWS's Python
runtime interface client (aws/aws-lambda-python-runtime-interface-client: bootstrap.py
`make_error` and `_get_handler`, lambda_context.py, lambda_runtime_exception.py) and the
Lambda developer guide ("AWS Lambda context object in Python"; Invoke API: `LogResult` is the
last 4 KB of the log, `FunctionError` is `Unhandled`).
"""

from __future__ import annotations

import base64
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bgtui.demo.stack import ensure_lambda_role
from bgtui.emulator import python_runtime
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.python_runtime import MAX_LOG_BYTES, PACKAGES, Invocation

FUNCTION = "runner"


def package(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


ECHO = """
import importlib.util, json, os

def handler(event, context):
    return {
        "has_sdk": importlib.util.find_spec("boto3") is not None,
        "event": event,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "aws_request_id": context.aws_request_id,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "environ": dict(os.environ),
    }
"""
RAISES = """
def handler(event, context):
    print("about to fail")
    return charge(event)

def charge(event):
    raise KeyError("amount")
"""


@pytest.fixture
def lambda_(clean_emulator: str) -> Any:
    clients = EmulatorClients(clean_emulator)
    clients.lambda_.create_function(
        FunctionName=FUNCTION,
        Runtime="python3.12",
        Role=ensure_lambda_role(clients),
        Handler="app.handler",
        Code={"ZipFile": package({"app.py": ECHO})},
        Timeout=7,
        MemorySize=256,
        Environment={"Variables": {"GREETING": "hello"}},
        Publish=True,
    )
    clients.lambda_.create_alias(FunctionName=FUNCTION, Name="green", FunctionVersion="1")
    return clients.lambda_


def invoke(lambda_: Any, qualifier: str, event: object, **extra: Any) -> tuple[dict, Any]:
    answer = lambda_.invoke(
        FunctionName=FUNCTION, Qualifier=qualifier, Payload=json.dumps(event).encode(), **extra
    )
    return answer, json.loads(answer["Payload"].read())


def test_the_handler_gets_the_event_and_lambdas_context(
    lambda_: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BGTUI_PLANTED_SECRET", "do-not-pass-on")
    answer, payload = invoke(lambda_, "green", {"order": 7})
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    assert answer["ExecutedVersion"] == "1"
    assert payload["event"] == {"order": 7}
    assert payload["has_sdk"], "Lambda's Python runtime has the AWS SDK; so does the emulator's"
    assert payload["function_name"] == FUNCTION and payload["function_version"] == "1"
    assert payload["invoked_function_arn"].endswith(f":function:{FUNCTION}:green")
    assert payload["memory_limit_in_mb"] == "256"  # a string, read from the environment
    assert 0 < payload["remaining_ms"] <= 7000
    assert len(payload["aws_request_id"]) == 36
    environ = payload["environ"]
    assert environ["GREETING"] == "hello" and environ["AWS_LAMBDA_FUNCTION_VERSION"] == "1"
    assert "BGTUI_PLANTED_SECRET" not in environ and "AWS_SECRET_ACCESS_KEY" not in environ


def test_a_handler_that_raises_answers_lambdas_unhandled_error(lambda_: Any) -> None:
    lambda_.update_function_code(FunctionName=FUNCTION, ZipFile=package({"app.py": RAISES}))
    version = lambda_.publish_version(FunctionName=FUNCTION)["Version"]
    answer, payload = invoke(lambda_, version, {}, LogType="Tail")
    assert answer["FunctionError"] == "Unhandled" and answer["ExecutedVersion"] == version
    assert payload["errorType"] == "KeyError" and payload["errorMessage"] == "'amount'"
    assert payload["requestId"] and len(payload["stackTrace"]) == 2
    assert "in handler" in payload["stackTrace"][0] and "in charge" in payload["stackTrace"][1]
    assert "lambda_bootstrap" not in "".join(payload["stackTrace"])
    log = base64.b64decode(answer["LogResult"]).decode()
    assert log.index("about to fail") < log.index("[ERROR] KeyError: 'amount'")
    assert log.startswith(f"START RequestId: {payload['requestId']} Version: {version}")


@pytest.mark.parametrize(
    ("handler", "files", "error_type", "message"),
    [
        ("missing.handler", {"app.py": ECHO}, "Runtime.ImportModuleError", "Unable to import"),
        ("app.absent", {"app.py": ECHO}, "Runtime.HandlerNotFound", "Handler 'absent' missing"),
        ("nodots", {"app.py": ECHO}, "Runtime.MalformedHandlerName", "Bad handler 'nodots'"),
        ("app.handler", {"app.py": "def handler(:"}, "Runtime.UserCodeSyntaxError", "Syntax"),
        (
            "app.handler",
            {"app.py": "def handler(event, context):\n    return {1, 2}\n"},
            "Runtime.MarshalError",
            "Unable to marshal response",
        ),
    ],
)
def test_a_handler_that_cannot_run_answers_the_runtimes_error(
    lambda_: Any, handler: str, files: dict[str, str], error_type: str, message: str
) -> None:
    lambda_.update_function_code(FunctionName=FUNCTION, ZipFile=package(files))
    lambda_.update_function_configuration(FunctionName=FUNCTION, Handler=handler)
    answer, payload = invoke(lambda_, "$LATEST", {})
    assert answer["FunctionError"] == "Unhandled"
    assert payload["errorType"] == error_type and payload["errorMessage"].startswith(message)


def run(source: str, timeout_s: float = 5.0, event: object = None) -> python_runtime.Outcome:
    invocation = Invocation(
        function_name=FUNCTION,
        version="4",
        handler="app.handler",
        runtime="python3.12",
        timeout_s=timeout_s,
        memory_mb=128,
        region="us-east-1",
        invoked_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{FUNCTION}:4",
        request_id="11111111-2222-3333-4444-555555555555",
        event=json.dumps(event or {}).encode(),
    )
    zipped = package({"app.py": source})
    return python_runtime.run(invocation, f"test-{hash(source)}", zipped)


def test_a_handler_past_its_timeout_is_killed_with_its_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    outcome = run(
        "import subprocess, threading\n"
        "def handler(event, context):\n"
        "    child = subprocess.Popen(['sleep', '60'])\n"
        "    open(event['pid_file'], 'w').write(str(child.pid))\n"
        "    threading.Event().wait()\n",
        timeout_s=1.5,
        event={"pid_file": str(pid_file)},
    )
    error = json.loads(outcome.payload)
    assert outcome.error_type == "Sandbox.Timedout"
    assert error["errorMessage"].endswith("Task timed out after 1.50 seconds")
    assert "Task timed out after 1.50 seconds" in outcome.log
    assert not _alive(int(pid_file.read_text()))


def _alive(pid: int) -> bool:
    """Whether the process runs; a killed child waiting to be reaped by init does not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_what_the_handler_prints_is_bounded() -> None:
    outcome = run("def handler(event, context):\n    print('x' * 10_000_000)\n    return 1\n")
    assert outcome.error_type == "" and outcome.payload == b"1"
    assert len(outcome.log.encode()) <= MAX_LOG_BYTES


def test_an_answer_larger_than_lambda_allows_is_refused() -> None:
    outcome = run("def handler(event, context):\n    return 'x' * 7_000_000\n")
    assert outcome.error_type == "Function.ResponseSizeTooLarge"


def test_a_handler_that_exits_is_a_runtime_exit_error() -> None:
    outcome = run("import sys\ndef handler(event, context):\n    sys.exit(3)\n")
    assert outcome.error_type == "Runtime.ExitError"
    assert json.loads(outcome.payload)["errorMessage"].endswith("exit status 3")


def test_only_python_runtimes_run() -> None:
    invocation = Invocation(
        FUNCTION, "1", "index.handler", "nodejs20.x", 3, 128, "us-east-1", "arn", "id", b"{}"
    )
    outcome = python_runtime.run(invocation, "node", package({"index.js": "exports.handler=1"}))
    assert outcome.error_type == "Emulator.UnsupportedRuntime"


def test_a_package_is_unpacked_once_and_never_outside_its_directory(tmp_path: Path) -> None:
    zipped = package({"../escaped.py": "x = 1", "/abs.py": "y = 2", "app.py": "z = 3"})
    first = PACKAGES.directory("slip", zipped)
    assert PACKAGES.directory("slip", zipped) == first
    unpacked = {p.relative_to(first).as_posix() for p in first.rglob("*.py")}
    assert unpacked == {"escaped.py", "abs.py", "app.py"}
    assert not (first.parent / "escaped.py").exists()
    PACKAGES.clear()
    assert not first.exists()
    assert os.path.isdir(PACKAGES.directory("slip", zipped))
