"""AWS requests as they cross the wire: which service and operation a request is, and error
answers written in each service's own protocol, so botocore parses them as AWS's."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, urlsplit

import botocore.session

# The SigV4 credential scope names some services differently from botocore.
SIGNING_NAMES = {"monitoring": "cloudwatch", "tagging": "resourcegroupstaggingapi"}
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/[^/]+/([^/]+)/aws4_request")
_CBOR_PATH = re.compile(r"/service/[^/]+/operation/([A-Za-z0-9]+)$")


@dataclass(frozen=True)
class WireRequest:
    """One request as the proxy saw it."""

    service: str
    operation: str
    method: str
    path: str
    access_key: str
    protocol: str
    """How the client spoke: `rest-json`, `json`, `smithy-rpc-v2-cbor` or `query`."""

    @property
    def name(self) -> str:
        """`lambda:UpdateAlias`, the way the call log names calls (botocore service names)."""
        return f"{self.service}:{self.operation}"


def identify(method: str, path: str, headers: dict[str, str], body: bytes) -> WireRequest:
    """Name the service and operation of a signed AWS request; an unsigned one (a request to
    a stage's invoke URL) has neither."""
    found = _CREDENTIAL.search(headers.get("authorization", ""))
    access_key, scope = found.groups() if found else ("", "")
    service = SIGNING_NAMES.get(scope, scope)
    if not service:
        return WireRequest("", "", method, path, access_key, "")
    protocol, operation = _operation(service, method, path, headers, body)
    return WireRequest(service, operation, method, path, access_key, protocol)


def _operation(
    service: str, method: str, path: str, headers: dict[str, str], body: bytes
) -> tuple[str, str]:
    """(protocol, operation): services that speak several protocols let the client choose."""
    target = headers.get("x-amz-target", "")
    if target:
        return "json", target.rsplit(".", 1)[-1]
    cbor = _CBOR_PATH.search(urlsplit(path).path)
    if cbor:
        return "smithy-rpc-v2-cbor", cbor.group(1)
    if _protocol(service) == "query":
        return "query", parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
    return "rest-json", _rest_operation(service, method, urlsplit(path).path)


def _rest_operation(service: str, method: str, path: str) -> str:
    for operation, verb, pattern in _rest_routes(service):
        if verb == method and pattern.fullmatch(path):
            return operation
    return ""


@cache
def _rest_routes(service: str) -> list[tuple[str, str, re.Pattern[str]]]:
    """(operation, method, path regex) of a REST service, most literal paths first."""
    model = _model(service)
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        template = http["requestUri"].split("?", 1)[0]
        pattern = re.sub(r"\\\{[^}]+\\\+\\\}", ".+", re.escape(template))
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        routes.append((name, http["method"], re.compile(pattern), template.count("{")))
    routes.sort(key=lambda route: route[3])
    return [(name, verb, pattern) for name, verb, pattern, _ in routes]


@cache
def _model(service: str) -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def _protocol(service: str) -> str:
    try:
        return str(_model(service).protocol)
    except botocore.exceptions.UnknownServiceError:
        return ""


def error_answer(protocol: str, code: str, message: str) -> tuple[dict[str, str], bytes]:
    """Headers and body of an AWS error answer in the protocol the request used."""
    if protocol == "query":
        body = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>bgtui-fault</RequestId></ErrorResponse>"
        )
        return {"Content-Type": "text/xml"}, body.encode()
    if protocol == "smithy-rpc-v2-cbor":
        headers = {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}
        return headers, cbor_map({"__type": code, "message": message})
    doc = {"__type": code, "message": message, "Type": "User"}
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}
    return headers, json.dumps(doc).encode()


def cbor_map(doc: dict[str, str]) -> bytes:
    """A CBOR map of text to text (all an error answer needs)."""
    return _cbor_head(5, len(doc)) + b"".join(
        _cbor_text(key) + _cbor_text(value) for key, value in doc.items()
    )


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    return _cbor_head(3, len(data)) + data


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    if length < 256:
        return bytes([major << 5 | 24, length])
    return bytes([major << 5 | 25]) + length.to_bytes(2, "big")
