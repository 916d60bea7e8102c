"""A fault-injecting HTTP proxy on 127.0.0.1 in front of the emulator: throttle, reject
credentials, drop a request or its answer, or go down, rule by rule, request by request."""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from tests.reliability.wire import WireRequest, error_answer, identify

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
)
Match = Callable[[WireRequest], bool]


@dataclass(frozen=True)
class Answer:
    """Answer in AWS's place with an error; the request never reaches the emulator."""

    status: int
    code: str
    message: str


@dataclass(frozen=True)
class Drop:
    """Close the connection without forwarding: the request never reached AWS."""


@dataclass(frozen=True)
class LoseAnswer:
    """Forward (the request takes effect), then close without answering; maybe go down too."""

    then_down: bool = False


@dataclass(frozen=True)
class GoDown:
    """Stop listening before forwarding: this and every later connection is refused."""


Fault = Answer | Drop | LoseAnswer | GoDown

THROTTLED = {
    "lambda": Answer(429, "TooManyRequestsException", "Rate exceeded"),
    "apigateway": Answer(429, "TooManyRequestsException", "Too Many Requests"),
    "sts": Answer(400, "Throttling", "Rate exceeded"),
}
DEFAULT_THROTTLE = Answer(400, "ThrottlingException", "Rate exceeded")


def throttling(service: str) -> Answer:
    """How `service` says it is throttling."""
    return THROTTLED.get(service, DEFAULT_THROTTLE)


def operation(*names: str) -> Match:
    """Requests of these operations, named like the call log: `lambda:UpdateAlias`."""
    return lambda request: request.name in names


def to_service(*names: str) -> Match:
    return lambda request: request.service in names


def signed_with(access_key: str) -> Match:
    return lambda request: request.access_key == access_key


def every(_: WireRequest) -> bool:
    return True


@dataclass
class Rule:
    """One fault for matching requests; `times` of them, or all when None."""

    fault: Fault
    matches: Match
    times: int | None = None
    hits: int = 0

    def take(self, request: WireRequest) -> bool:
        if not self.matches(request) or (self.times is not None and self.hits >= self.times):
            return False
        self.hits += 1
        return True


@dataclass
class _State:
    rules: list[Rule] = field(default_factory=list)
    requests: list[WireRequest] = field(default_factory=list)
    connections: set[socket.socket] = field(default_factory=set)


class FaultProxy:
    """Forwards to `upstream` unless a rule says otherwise; records every request it sees."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.port = 0
        self._state = _State()
        self._lock = threading.Lock()
        self._server: socketserver.ThreadingTCPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[WireRequest]:
        with self._lock:
            return list(self._state.requests)

    def seen(self, name: str) -> int:
        """How many requests of one operation (`lambda:UpdateAlias`) arrived."""
        return sum(1 for request in self.requests if request.name == name)

    def add(self, fault: Fault, matches: Match = every, times: int | None = None) -> Rule:
        rule = Rule(fault, matches, times)
        with self._lock:
            self._state.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._state.rules.clear()

    def fault_for(self, request: WireRequest) -> Fault | None:
        with self._lock:
            self._state.requests.append(request)
            for rule in self._state.rules:
                if rule.take(request):
                    return rule.fault
        return None

    # -- up and down -----------------------------------------------------------------------

    def start(self) -> str:
        server = _Server(("127.0.0.1", self.port), _handler(self))
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self.url

    def go_down(self) -> None:
        """Stop listening and cut every open connection, as a vanished network would."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._state.connections)
            self._state.connections.clear()
        for connection in connections:
            _cut(connection)

    def come_back(self) -> None:
        if self._server is None:
            self.start()

    @property
    def down(self) -> bool:
        return self._server is None

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            if open_:
                self._state.connections.add(connection)
            else:
                self._state.connections.discard(connection)

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.go_down()
        if self._thread is not None:
            self._thread.join(timeout=5)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    block_on_close = False


def _cut(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        return  # already closed by its own handler


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(_ProxyHandler):
        owner = proxy

    return Handler


class _ProxyHandler(BaseHTTPRequestHandler):
    """One client connection; keep-alive like AWS, so botocore reuses it."""

    protocol_version = "HTTP/1.1"
    owner: FaultProxy

    def setup(self) -> None:
        super().setup()
        self.owner.track(self.connection, open_=True)

    def finish(self) -> None:
        self.owner.track(self.connection, open_=False)
        try:
            super().finish()
        except OSError:
            return  # the connection was cut on purpose

    def log_message(self, format: str, *args: Any) -> None:
        return  # the tests assert on what the client saw, not on proxy chatter

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, OSError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key.lower(): value for key, value in self.headers.items()}
        request = identify(self.command, self.path, headers, body)
        fault = self.owner.fault_for(request)
        if fault is None:
            self._relay(*self._forward(body))
        elif isinstance(fault, Answer):
            self._answer(request, fault)
        elif isinstance(fault, LoseAnswer):
            self._forward(body)
            self.close_connection = True
            if fault.then_down:
                self.owner.go_down()
        else:
            self.close_connection = True
            if isinstance(fault, GoDown):
                self.owner.go_down()

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection(*self.owner.upstream, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            upstream.close()

    def _relay(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response_only(status)
        for key, value in headers:
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _answer(self, request: WireRequest, fault: Answer) -> None:
        headers, body = error_answer(request.protocol, fault.code, fault.message)
        self._relay(fault.status, list(headers.items()), body)
