"""One synchronous invocation of a version: a demo package's canned answer, else its code run."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from moto.awslambda.utils import make_function_arn

from bgtui.emulator import python_runtime
from bgtui.emulator.answers import canned_log, error_payload, execution_log, healthy_payload
from bgtui.emulator.behaviour import OVERRIDES
from bgtui.emulator.lambda_versions import behaviour_of, is_synthetic, version_key


@dataclass(frozen=True)
class Answer:
    """What Lambda's Invoke returns: the executed version, the payload, FunctionError, the log."""

    version: str
    payload: bytes
    function_error: str
    log: str


def invoke_version(function: Any, event: bytes, qualifier: str | None) -> Answer:
    """Invoke the moto function object of one version, reached through `qualifier`."""
    version, request_id = str(function.version), str(uuid.uuid4())
    # A health switch of the control API is fault injection: it outranks the code.
    if is_synthetic(function) or OVERRIDES.get(version_key(function)) is False:
        return _canned(function, version, request_id)
    invocation = _invocation(function, version, event, qualifier, request_id)
    outcome = python_runtime.run(
        invocation, str(function.code_sha_256), getattr(function, "code_bytes", b"")
    )
    log = execution_log(request_id, version, outcome.log, outcome.duration_ms)
    return Answer(version, outcome.payload, "Unhandled" if outcome.error_type else "", log)


def _canned(function: Any, version: str, request_id: str) -> Answer:
    behaviour = behaviour_of(function)
    duration = behaviour.p99_ms(f"{function.function_name}:{version}") / 2
    log = execution_log(request_id, version, canned_log(behaviour), duration)
    if behaviour.healthy:
        return Answer(version, healthy_payload(version), "", log)
    return Answer(version, error_payload(behaviour, request_id), "Unhandled", log)


def _invocation(
    function: Any, version: str, event: bytes, qualifier: str | None, request_id: str
) -> python_runtime.Invocation:
    arn = make_function_arn(function.region, function.account_id, function.function_name)
    return python_runtime.Invocation(
        function_name=function.function_name,
        version=version,
        handler=str(function.handler or ""),
        runtime=str(function.run_time or ""),
        timeout_s=float(function.timeout or 3),
        memory_mb=int(function.memory_size or 128),
        region=function.region,
        invoked_arn=f"{arn}:{qualifier}" if qualifier else arn,
        request_id=request_id,
        event=event,
        environment=dict(function.environment_vars or {}),
    )
