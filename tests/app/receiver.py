"""A local webhook receiver on 127.0.0.1: answers as told and keeps every JSON body it got."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET_PATH = "/services/T000/B000/s3cr3t-token"


class Receiver:
    """What the receiver got; `answer` is the status it gives, `hang` holds every answer back."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}{SECRET_PATH}"
        self.bodies: list[dict[str, Any]] = []
        self.answer = 200
        self.hang = threading.Event()
        self.released = threading.Event()
        self.got = threading.Condition()

    @property
    def events(self) -> list[str]:
        return [str(b["event"]) for b in self.bodies]

    def wait_for(self, count: int, timeout_s: float = 10.0) -> None:
        with self.got:
            self.got.wait_for(lambda: len(self.bodies) >= count, timeout_s)


@contextmanager
def receiver() -> Iterator[Receiver]:
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            got = box[0]
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            if got.hang.is_set():
                got.released.wait(10)
                return
            with got.got:
                if self.path == SECRET_PATH and got.answer == 200:
                    got.bodies.append(body)
                got.got.notify_all()
            self.send_response(got.answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.append(Receiver(server.server_address[1]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        box[0].released.set()
        server.shutdown()
        server.server_close()
