"""API Gateway's Lambda proxy integration: the event a function receives, the answer it gives.

Shapes follow the API Gateway developer guide, "Lambda proxy integrations in API Gateway"
(input and output format of a Lambda function for proxy integration).
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
_LAMBDA_URI = re.compile(
    r"^arn:[^:]+:apigateway:[^:]+:lambda:path/2015-03-31/functions/(?P<function>.+)/invocations$"
)
_FUNCTION_ARN = re.compile(
    r"^arn:[^:]+:lambda:(?P<region>[^:]+):(?P<account>\d+):function:(?P<name>[^:]+)"
    r"(?::(?P<qualifier>[^:]+))?$"
)


@dataclass(frozen=True)
class StageRequest:
    """One HTTP request to a stage's invoke URL; `path` is the part after the stage."""

    api_id: str
    stage: str
    method: str
    path: str
    query: Sequence[tuple[str, str]] = ()
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"


@dataclass(frozen=True)
class GatewayResponse:
    """What API Gateway sends back to the caller."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def status_line(self) -> str:
        try:
            return f"{self.status} {HTTPStatus(self.status).phrase}"
        except ValueError:
            return f"{self.status} Unknown"


@dataclass(frozen=True)
class LambdaTarget:
    """The function (and qualifier) an integration URI names once stage variables are filled in."""

    region: str
    account: str
    function: str
    qualifier: str | None


def gateway_error(status: int, message: str, error_type: str, request_id: str) -> GatewayResponse:
    headers = {
        "Content-Type": "application/json",
        "x-amzn-ErrorType": error_type,
        "x-amzn-RequestId": request_id,
    }
    return GatewayResponse(status, headers, json.dumps({"message": message}).encode())


def lambda_target(uri: str, stage_variables: Mapping[str, str]) -> LambdaTarget | None:
    """The function an AWS_PROXY integration invokes; None when the URI names none."""
    filled = _STAGE_VARIABLE.sub(lambda m: stage_variables.get(m.group(1), ""), uri)
    found = _LAMBDA_URI.match(filled)
    arn = _FUNCTION_ARN.match(found.group("function")) if found else None
    if arn is None:
        return None
    return LambdaTarget(arn["region"], arn["account"], arn["name"], arn["qualifier"])


def _grouped(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _body_field(body: bytes) -> tuple[str | None, bool]:
    if not body:
        return None, False
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode(), True


def proxy_event(
    request: StageRequest,
    resource_path: str,
    path_parameters: Mapping[str, str],
    stage_variables: Mapping[str, str],
    target: LambdaTarget,
    request_id: str,
) -> dict[str, Any]:
    """The event a function behind a Lambda proxy integration receives for this request."""
    multi_headers, multi_query = _grouped(request.headers), _grouped(request.query)
    body, is_base64 = _body_field(request.body)
    now = datetime.now(UTC)
    return {
        "resource": resource_path,
        "path": request.path,
        "httpMethod": request.method,
        "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters) or None,
        "stageVariables": dict(stage_variables) or None,
        "requestContext": {
            "resourcePath": resource_path,
            "httpMethod": request.method,
            "path": f"/{request.stage}{request.path}",
            "accountId": target.account,
            "protocol": "HTTP/1.1",
            "stage": request.stage,
            "domainPrefix": request.api_id,
            "domainName": f"{request.api_id}.execute-api.{target.region}.amazonaws.com",
            "apiId": request.api_id,
            "requestId": request_id,
            "extendedRequestId": uuid.uuid4().hex[:16],
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {
                "sourceIp": request.source_ip,
                "userAgent": dict(request.headers).get("User-Agent", ""),
            },
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }


def proxy_response(payload: bytes, function_error: str, request_id: str) -> GatewayResponse:
    """The caller's answer from the function's: a failed or malformed one is a 502."""
    internal = gateway_error(
        502, "Internal server error", "InternalServerErrorException", request_id
    )
    if function_error:
        return internal
    try:
        doc = json.loads(payload)
    except ValueError:
        return internal
    status = doc.get("statusCode") if isinstance(doc, dict) else None
    body = doc.get("body") if isinstance(doc, dict) else None
    if not _valid_status(status) or not isinstance(body, str | None):
        return internal
    headers = _response_headers(doc)
    if headers is None:
        return internal
    headers.setdefault("Content-Type", "application/json")
    headers["x-amzn-RequestId"] = request_id
    data = (body or "").encode()
    if doc.get("isBase64Encoded") is True:
        try:
            data = base64.b64decode(data, validate=True)
        except ValueError:
            return internal
    return GatewayResponse(int(str(status)), headers, data)


def _valid_status(status: Any) -> bool:
    if isinstance(status, bool):
        return False
    if isinstance(status, int):
        return 100 <= status <= 599
    return isinstance(status, str) and status.isdigit() and 100 <= int(status) <= 599


def _response_headers(doc: Mapping[str, Any]) -> dict[str, str] | None:
    single, multi = doc.get("headers") or {}, doc.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        return None
    headers = {str(k): ", ".join(map(str, v)) for k, v in multi.items() if isinstance(v, list)}
    headers.update({str(k): str(v) for k, v in single.items()})
    # A line break would end the header block early: such a header is not sent.
    return {k: v for k, v in headers.items() if not any(c in k + v for c in "\r\n\x00")}
