"""Runs a version's Python handler from its zip: one subprocess per invocation, with its timeout."""

from __future__ import annotations

import atexit
import base64
import io
import json
import os
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

BOOTSTRAP = Path(__file__).with_name("lambda_bootstrap.py")
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024
"""Lambda's quota for a function's unzipped deployment package."""
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
"""Lambda's quota for the response of a synchronous invocation."""
MAX_LOG_BYTES = 64 * 1024
"""Bytes of what the handler prints kept for the log; the rest is read and dropped."""
DRAIN_WAIT_S = 5.0
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Invocation:
    """One synchronous invocation of one version, as the runtime is told about it."""

    function_name: str
    version: str
    handler: str
    runtime: str
    timeout_s: float
    memory_mb: int
    region: str
    invoked_arn: str
    request_id: str
    event: bytes
    environment: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What Lambda answers: the payload, the error type when it failed ("" when not), the log."""

    payload: bytes
    error_type: str
    log: str
    duration_ms: float = 0.0


class PackageError(Exception):
    """A deployment package that cannot be unpacked to run."""


class PackageCache:
    """Each distinct package unpacked once, into its own directory under one temporary root."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._root: Path | None = None
        self._directories: dict[str, Path] = {}
        atexit.register(self.clear)

    def directory(self, key: str, zip_bytes: bytes) -> Path:
        with self._lock:
            found = self._directories.get(key)
            if found is None:
                found = self._unpack(zip_bytes)
                self._directories[key] = found
            return found

    def _unpack(self, zip_bytes: bytes) -> Path:
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="bgtui-lambda-"))
        target = Path(tempfile.mkdtemp(dir=self._root))
        try:
            with zipfile.ZipFile(io.BytesIO(zip_bytes)) as package:
                if sum(member.file_size for member in package.infolist()) > MAX_UNZIPPED_BYTES:
                    raise PackageError("the unzipped package is larger than Lambda's 250 MB")
                # extractall drops absolute paths and `..`, so nothing lands outside target.
                package.extractall(target)
        except (zipfile.BadZipFile, OSError, PackageError) as error:
            shutil.rmtree(target, ignore_errors=True)
            raise PackageError(f"the package cannot be unzipped: {error}") from None
        return target

    def clear(self) -> None:
        with self._lock:
            root, self._root, self._directories = self._root, None, {}
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)


PACKAGES = PackageCache()


def run(invocation: Invocation, package_key: str, zip_bytes: bytes) -> Outcome:
    """Invoke the handler of this package; every failure is an error document, as on Lambda."""
    if not invocation.runtime.startswith("python"):
        message = f"the emulator runs Python handlers only, not {invocation.runtime or 'images'}"
        return failure(invocation, "Emulator.UnsupportedRuntime", message)
    if not zip_bytes:
        return failure(invocation, "Emulator.NoPackage", "the version has no zip package to run")
    try:
        task_root = PACKAGES.directory(package_key, zip_bytes)
    except PackageError as error:
        return failure(invocation, "Emulator.BadPackage", str(error))
    return _run_process(invocation, task_root)


def failure(invocation: Invocation, error_type: str, message: str, log: str = "") -> Outcome:
    doc = {"errorMessage": message, "errorType": error_type, "requestId": invocation.request_id}
    return Outcome(
        json.dumps(doc).encode(), error_type, log or f"[ERROR] {error_type}: {message}\n"
    )


def timed_out_failure(invocation: Invocation) -> Outcome:
    message = f"Task timed out after {invocation.timeout_s:.2f} seconds"
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    line = f"{stamp}Z {invocation.request_id} {message}\n"
    detail = f"RequestId: {invocation.request_id} Error: {message}"
    return failure(invocation, "Sandbox.Timedout", detail, log=line)


class _Drain(threading.Thread):
    """Reads a pipe to its end, keeping the first `limit` bytes, so the child never blocks."""

    def __init__(self, pipe: Any, limit: int) -> None:
        super().__init__(daemon=True)
        self.pipe, self.limit = pipe, limit
        self.kept = bytearray()
        self.overflowed = False

    def run(self) -> None:
        with self.pipe:
            while chunk := self.pipe.read1(65536):
                room = self.limit - len(self.kept)
                self.kept += chunk[: max(room, 0)]
                self.overflowed = self.overflowed or len(chunk) > room


def _run_process(invocation: Invocation, task_root: Path) -> Outcome:
    started = time.perf_counter()
    deadline_ms = int(time.time() * 1000 + invocation.timeout_s * 1000)
    request = {
        "handler": invocation.handler,
        "event": invocation.event.decode("utf-8", "replace"),
        "request_id": invocation.request_id,
        "invoked_function_arn": invocation.invoked_arn,
        "deadline_ms": deadline_ms,
        # Lambda's Python has the AWS SDK on its path; these give the handler this one's.
        "library_paths": site.getsitepackages(),
    }
    # No shell, no inherited environment, a session of its own so a timeout kills every child;
    # -S skips the site hooks (.pth files), which cost three quarters of the start-up.
    process = subprocess.Popen(
        [sys.executable, "-I", "-S", str(BOOTSTRAP)],
        cwd=task_root,
        env=environment(invocation, task_root),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    result = _Drain(process.stdout, MAX_PAYLOAD_BYTES + 1024)
    log = _Drain(process.stderr, MAX_LOG_BYTES)
    feeder = threading.Thread(target=_feed, args=(process.stdin, request), daemon=True)
    for thread in (result, log, feeder):
        thread.start()
    timed_out = _wait(process, invocation.timeout_s)
    for thread in (result, log):
        thread.join(DRAIN_WAIT_S)
    duration_ms = (time.perf_counter() - started) * 1000
    log_text = log.kept.decode("utf-8", "replace")
    if timed_out:
        return _with_log(timed_out_failure(invocation), log_text, duration_ms)
    return _outcome(invocation, process.returncode, result, log_text, duration_ms)


def _feed(stdin: IO[bytes], request: dict[str, object]) -> None:
    try:
        with stdin:
            stdin.write(json.dumps(request).encode())
    except (BrokenPipeError, ValueError):
        pass  # the child exited without reading its input; its exit tells what happened


def _wait(process: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """Wait for the handler; past its timeout kill its whole session. True when it timed out."""
    try:
        process.wait(timeout=timeout_s)
        return False
    except subprocess.TimeoutExpired:
        # Not yet reaped, so its process group is still its own to kill.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


def _outcome(
    invocation: Invocation, returncode: int, result: _Drain, log_text: str, duration_ms: float
) -> Outcome:
    if result.overflowed:
        message = (
            f"Response payload size exceeded maximum allowed size ({MAX_PAYLOAD_BYTES} bytes)."
        )
        outcome = failure(invocation, "Function.ResponseSizeTooLarge", message)
        return _with_log(outcome, log_text, duration_ms)
    try:
        answer = json.loads(result.kept or b"null")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        status = f"signal {-returncode}" if returncode < 0 else f"exit status {returncode}"
        message = f"RequestId: {invocation.request_id} Error: Runtime exited with error: {status}"
        return _with_log(failure(invocation, "Runtime.ExitError", message), log_text, duration_ms)
    if "error" in answer:
        error = answer["error"]
        # The bootstrap has logged it already, as the runtime does.
        outcome = Outcome(json.dumps(error).encode(), str(error.get("errorType", "")), "")
        return _with_log(outcome, log_text, duration_ms)
    if "payload_base64" in answer:
        payload = base64.b64decode(answer["payload_base64"])
    else:
        payload = str(answer.get("payload", "null")).encode()
    return _with_log(Outcome(payload, "", ""), log_text, duration_ms)


def _with_log(outcome: Outcome, handler_log: str, duration_ms: float) -> Outcome:
    """The outcome with what the handler printed ahead of the runtime's own line, if any."""
    return Outcome(outcome.payload, outcome.error_type, handler_log + outcome.log, duration_ms)


def environment(invocation: Invocation, task_root: Path) -> dict[str, str]:
    """The function's variables plus the ones Lambda reserves; nothing of this process's own."""
    env = {
        key: str(value)
        for key, value in invocation.environment.items()
        if key and "=" not in key and "\x00" not in key + str(value)
    }
    today = datetime.now(UTC).strftime("%Y/%m/%d")
    env.update(
        {
            "PATH": SAFE_PATH,
            "LANG": "C.UTF-8",
            "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": str(task_root),
            "_HANDLER": invocation.handler,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{invocation.runtime}",
            "AWS_REGION": invocation.region,
            "AWS_DEFAULT_REGION": invocation.region,
            "AWS_LAMBDA_FUNCTION_NAME": invocation.function_name,
            "AWS_LAMBDA_FUNCTION_VERSION": invocation.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(invocation.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{invocation.function_name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"{today}/[{invocation.version}]{invocation.request_id}",
        }
    )
    return env
