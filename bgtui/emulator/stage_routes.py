"""Serves every REST API stage's invoke URL: stage → `lambdaAlias` → alias → version → answer.

moto does not serve execute-api URLs, so the emulator does, at moto's own path form
`/restapis/{api}/{stage}/_user_request_/{path}` (LocalStack uses the same).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from moto.apigateway.models import apigateway_backends
from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.utils import get_backend

from bgtui.emulator.invocation import invoke_version
from bgtui.emulator.proxy_integration import (
    GatewayResponse,
    StageRequest,
    gateway_error,
    lambda_target,
    proxy_event,
    proxy_response,
)

STAGE_PATH = re.compile(r"^/restapis/(?P<api>[^/]+)/(?P<stage>[^/]+)/_user_request_(?P<path>/.*)?$")
MAX_REQUEST_BYTES = 10 * 1024 * 1024
"""API Gateway's payload quota for a REST API request."""
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class StageRoutes:
    """WSGI middleware: answers stage invoke URLs and passes everything else on."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        found = STAGE_PATH.match(environ.get("PATH_INFO", ""))
        if found is None:
            return self._app(environ, start_response)
        response = serve(_request(environ, found))
        headers = [*response.headers.items(), ("Content-Length", str(len(response.body)))]
        start_response(response.status_line, headers)
        return [response.body]


def _request(environ: dict[str, Any], found: re.Match[str]) -> StageRequest:
    length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_REQUEST_BYTES)
    headers = [
        (key[5:].replace("_", "-").title(), str(value))
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    return StageRequest(
        api_id=found["api"],
        stage=found["stage"],
        method=environ.get("REQUEST_METHOD", "GET"),
        path=found["path"] or "/",
        query=parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True),
        headers=headers,
        body=environ["wsgi.input"].read(length) if length else b"",
        source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
    )


def serve(request: StageRequest) -> GatewayResponse:
    """Route one request as API Gateway does and answer it."""
    request_id = str(uuid.uuid4())
    api = _find_api(request.api_id)
    stage = api.stages.get(request.stage) if api is not None else None
    if api is None or stage is None:
        return gateway_error(403, "Forbidden", "ForbiddenException", request_id)
    matched = _match_resource(api, request.path)
    method = _method(matched[0], request.method) if matched else None
    if matched is None or method is None:
        message, kind = "Missing Authentication Token", "MissingAuthenticationTokenException"
        return gateway_error(403, message, kind, request_id)
    resource, path_parameters = matched
    return _integrate(request, method, resource.get_path(), path_parameters, stage, request_id)


def _integrate(
    request: StageRequest,
    method: Any,
    resource_path: str,
    path_parameters: Mapping[str, str],
    stage: Any,
    request_id: str,
) -> GatewayResponse:
    integration = method.method_integration
    variables = dict(stage.variables or {})
    target = lambda_target(integration.uri or "", variables) if integration else None
    if integration is None or integration.integration_type != "AWS_PROXY" or target is None:
        message = "the emulator serves Lambda proxy (AWS_PROXY) integrations only"
        return gateway_error(501, message, "NotImplementedException", request_id)
    try:
        function = get_backend(target.account, target.region).get_function(
            target.function, target.qualifier
        )
    except LambdaClientError:
        # As on AWS: the caller learns only that the integration failed.
        return gateway_error(
            500, "Internal server error", "InternalServerErrorException", request_id
        )
    event = proxy_event(request, resource_path, path_parameters, variables, target, request_id)
    answer = invoke_version(function, json.dumps(event).encode(), target.qualifier)
    return proxy_response(answer.payload, answer.function_error, request_id)


def _find_api(api_id: str) -> Any | None:
    # Plain dict reads: moto would create a backend for any account or region it is asked for.
    for regions in dict.values(apigateway_backends):
        for backend in dict.values(regions):
            api = backend.apis.get(api_id)
            if api is not None:
                return api
    return None


def _method(resource: Any, http_method: str) -> Any | None:
    methods = resource.resource_methods
    return methods.get(http_method.upper()) or methods.get("ANY")


def _match_resource(api: Any, path: str) -> tuple[Any, dict[str, str]] | None:
    """The most specific resource for the path: literal segments before `{param}` before
    `{proxy+}`."""
    segments = [s for s in path.split("/") if s]
    best: tuple[tuple[int, int], Any, dict[str, str]] | None = None
    for resource in list(api.resources.values()):
        template = [s for s in resource.get_path().split("/") if s]
        parameters = _bind(template, segments)
        if parameters is None:
            continue
        literal = sum(1 for part in template if not part.startswith("{"))
        rank = (0 if any(part.endswith("+}") for part in template) else 1, literal)
        if best is None or rank > best[0]:
            best = (rank, resource, parameters)
    return (best[1], best[2]) if best else None


def _bind(template: list[str], segments: list[str]) -> dict[str, str] | None:
    parameters: dict[str, str] = {}
    for index, part in enumerate(template):
        if part.startswith("{") and part.endswith("+}"):
            rest = segments[index:]
            if not rest:
                return None
            parameters[part[1:-2]] = "/".join(rest)
            return parameters
        if index >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            parameters[part[1:-1]] = segments[index]
        elif part != segments[index]:
            return None
    return parameters if len(template) == len(segments) else None
