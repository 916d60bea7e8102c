"""The emulator's own HTTP routes (`/bgtui-emulator/...`): reset, read or switch version health."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from bgtui.emulator.behaviour import OVERRIDES
from bgtui.emulator.lambda_versions import behaviour_of, find_version, version_key

PREFIX = "/bgtui-emulator/"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ControlError(Exception):
    """A control request that cannot be served; carries its HTTP status."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


class ControlRoutes:
    """WSGI middleware: serves the control routes and passes everything else to moto."""

    def __init__(self, moto_app: WsgiApp, reset: Callable[[], None]) -> None:
        self._moto_app = moto_app
        self._reset = reset

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return self._moto_app(environ, start_response)
        try:
            status, doc = "200 OK", self._route(environ["REQUEST_METHOD"], path, _body(environ))
        except ControlError as error:
            status, doc = error.status, {"message": str(error)}
        payload = json.dumps(doc).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        start_response(status, headers)
        return [payload]

    def _route(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        action = (method, path[len(PREFIX) :].strip("/"))
        if action == ("POST", "reset"):
            self._reset()
            return {"status": "ok"}
        if action == ("POST", "behaviours"):
            return {"behaviours": [_describe(body.get("region"), pair) for pair in _pairs(body)]}
        if action == ("PUT", "behaviour"):
            return _switch(body)
        raise ControlError("404 Not Found", f"no emulator route {method} {path}")


def _body(environ: dict[str, Any]) -> dict[str, Any]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b"{}"
    try:
        doc = json.loads(raw or b"{}")
    except ValueError:
        raise ControlError("400 Bad Request", "the request body is not JSON") from None
    if not isinstance(doc, dict):
        raise ControlError("400 Bad Request", "the request body must be a JSON object")
    return doc


def _pairs(body: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        return [(str(fn), str(version)) for fn, version in body.get("versions", [])]
    except (TypeError, ValueError):
        raise ControlError(
            "400 Bad Request", "versions must be [function, version] pairs"
        ) from None


def _lookup(region: Any, function: str, version: str) -> Any:
    found = find_version(str(region or "us-east-1"), function, version)
    if found is None:
        raise ControlError("404 Not Found", f"no version {version} of {function}")
    return found


def _describe(region: Any, pair: tuple[str, str]) -> dict[str, Any] | None:
    function, version = pair
    found = find_version(str(region or "us-east-1"), function, version)
    if found is None:
        return None
    doc = behaviour_of(found).to_json()
    doc.update(function=function, version=str(found.version))
    return doc


def _switch(body: dict[str, Any]) -> dict[str, Any]:
    function, version = str(body.get("function", "")), str(body.get("version", ""))
    if not isinstance(body.get("healthy"), bool):
        raise ControlError("400 Bad Request", "healthy must be true or false")
    found = _lookup(body.get("region"), function, version)
    OVERRIDES.set(version_key(found), body["healthy"])
    doc = behaviour_of(found).to_json()
    doc.update(function=function, version=str(found.version))
    return doc
