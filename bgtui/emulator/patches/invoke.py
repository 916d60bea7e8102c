"""Lambda Invoke without docker: canned answers per version, ExecutedVersion, FunctionError."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import unquote

from moto.awslambda.responses import LambdaResponse
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.utilities.aws_headers import amz_crc32

from bgtui.emulator.answers import error_payload, healthy_payload, log_tail
from bgtui.emulator.lambda_versions import behaviour_of


def invoke(
    self: LambdaSimpleBackend,
    function_name: str,
    qualifier: str | None,
    body: Any,
    headers: Any,
    response_headers: dict[str, Any],
) -> bytes:
    function = self.get_function(function_name, qualifier)
    version = str(function.version)
    behaviour = behaviour_of(function)
    request_id = str(uuid.uuid4())
    response_headers["X-Amz-Executed-Version"] = version
    if headers.get("X-Amz-Invocation-Type", "RequestResponse") != "RequestResponse":
        return b""
    if headers.get("X-Amz-Log-Type") == "Tail":
        duration = behaviour.p99_ms(f"{function.function_name}:{version}") / 2
        response_headers["x-amz-log-result"] = log_tail(request_id, version, behaviour, duration)
    if behaviour.healthy:
        return healthy_payload(version)
    response_headers["X-Amz-Function-Error"] = "Unhandled"
    return error_payload(behaviour, request_id)


_STATUS = {"RequestResponse": 200, "Event": 202, "DryRun": 204}


@amz_crc32
def invoke_response(self: LambdaResponse) -> tuple[int, dict[str, Any], Any]:
    # moto reads the qualifier from a lowercase query key that clients never send.
    function_name = unquote(self.path.rsplit("/", 2)[-2])
    qualifier = self.querystring.get("Qualifier", [None])[0]
    response_headers: dict[str, Any] = {}
    payload = self.backend.invoke(
        function_name, qualifier, self.body, self.headers, response_headers
    )
    status = _STATUS.get(self.headers.get("X-Amz-Invocation-Type") or "RequestResponse", 200)
    response_headers.update({"content-type": "application/json", "status": status})
    return status, response_headers, payload


def apply() -> None:
    LambdaSimpleBackend.invoke = invoke  # type: ignore[method-assign]
    LambdaResponse.invoke = invoke_response  # type: ignore[method-assign]
