"""Lambda Invoke without docker: each version answers (canned or run), with ExecutedVersion."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from moto.awslambda.responses import LambdaResponse
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.utilities.aws_headers import amz_crc32

from bgtui.emulator.answers import log_result
from bgtui.emulator.invocation import invoke_version


def invoke(
    self: LambdaSimpleBackend,
    function_name: str,
    qualifier: str | None,
    body: Any,
    headers: Any,
    response_headers: dict[str, Any],
) -> bytes:
    function = self.get_function(function_name, qualifier)
    response_headers["X-Amz-Executed-Version"] = str(function.version)
    if headers.get("X-Amz-Invocation-Type", "RequestResponse") != "RequestResponse":
        return b""
    event = body if isinstance(body, bytes) else str(body or "").encode()
    answer = invoke_version(function, event, _qualifier(function_name, qualifier))
    if headers.get("X-Amz-Log-Type") == "Tail":
        response_headers["x-amz-log-result"] = log_result(answer.log)
    if answer.function_error:
        response_headers["X-Amz-Function-Error"] = answer.function_error
    return answer.payload


def _qualifier(function_name: str, qualifier: str | None) -> str | None:
    """The qualifier as invoked, also when given as part of the name (`fn:alias`)."""
    if qualifier:
        return qualifier
    name = function_name.rsplit(":function:", 1)[-1]
    return name.split(":", 1)[1] if ":" in name else None


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
