"""The urllib3 HTTP adapter against local servers: answers, bounds, timeouts, proxies."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bgtui.adapters.aws.http_client import MAX_BODY_BYTES, HttpClient
from bgtui.core.errors import BadInput, EndpointUnreachable


class Recorder(BaseHTTPRequestHandler):
    """Answers by path and records each request line it saw."""

    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.requestline)
        if self.path.endswith("/big"):
            self._answer(200, {}, b"x" * (MAX_BODY_BYTES * 2))
        elif self.path.endswith("/moved"):
            self._answer(302, {"Location": "/elsewhere"}, b"")
        else:
            self._answer(503, {"X-Bgtui-Version": "7"}, b'{"message": "down"}')

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_an_answer_keeps_status_lower_case_headers_and_body(server: str) -> None:
    got = HttpClient().get(f"{server}/test/health")
    assert got.status == 503 and got.headers["x-bgtui-version"] == "7"
    assert got.body == '{"message": "down"}'
    assert Recorder.seen == ["GET /test/health HTTP/1.1"]


def test_the_body_kept_is_bounded(server: str) -> None:
    assert len(HttpClient().get(f"{server}/big").body) == MAX_BODY_BYTES


def test_a_redirect_is_the_answer_not_followed(server: str) -> None:
    assert HttpClient().get(f"{server}/moved").status == 302
    assert len(Recorder.seen) == 1


def test_a_refused_connection_is_unreachable() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(EndpointUnreachable, match="refused or could not be made"):
        HttpClient().get(f"http://127.0.0.1:{port}/")


def test_a_server_that_never_answers_times_out_once() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        with pytest.raises(EndpointUnreachable, match=r"no answer within 0.2 s"):
            HttpClient(read_timeout_s=0.2).get(url)


def test_only_http_urls_are_requested() -> None:
    with pytest.raises(BadInput):
        HttpClient().get("file:///etc/passwd")


def test_the_proxy_is_chosen_as_botocore_chooses_it(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore.utils.get_environ_proxies decides, as it does for the AWS calls themselves."""
    monkeypatch.setenv("HTTP_PROXY", server)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    HttpClient().get("http://stage.example.invalid/test/health")
    assert Recorder.seen == ["GET http://stage.example.invalid/test/health HTTP/1.1"]
