"""The embedded AWS emulator: moto's server with bgtui's patches, on 127.0.0.1, in a thread."""

from __future__ import annotations

import errno
import logging
import socket
import threading
from types import TracebackType
from typing import Any

from bgtui.core.errors import BadInput, BgtuiError
from bgtui.emulator.patches import apply_patches

DEFAULT_REGION = "us-east-1"
LOCALHOST = "127.0.0.1"
log = logging.getLogger("bgtui.emulator")


def _request_handler() -> type:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietRequestHandler(MotoRequestHandler):
        """Request and error lines go to the `bgtui.emulator` logger, never to the terminal."""

        def log(self, kind: str, message: str, *args: Any) -> None:
            level = logging.WARNING if kind == "error" else logging.DEBUG
            log.log(level, "%s %s", self.address_string(), message % args)

    return QuietRequestHandler


def _build_app() -> Any:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from bgtui.emulator.control import ControlRoutes
    from bgtui.emulator.stage_routes import StageRoutes
    from bgtui.emulator.state import clear_all_state

    moto_app = DomainDispatcherApplication(create_backend_app)
    return StageRoutes(ControlRoutes(moto_app, clear_all_state))


class Emulator:
    """moto's server, patched for fidelity, serving every AWS API bgtui uses on one local port.

    moto keeps its state per process, so emulators started in one process share it.
    """

    def __init__(self, port: int = 0, host: str = LOCALHOST, region: str = DEFAULT_REGION):
        self.host = host
        self.port = port
        self.region = region
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise BgtuiError("the emulator is not running")
        return f"http://{self.host}:{self._server.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> str:
        """Start serving (idempotent) and return the endpoint URL."""
        if self._server is None:
            apply_patches()
            self._server = self._bind()
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="bgtui-emulator", daemon=True
            )
            self._thread.start()
        return self.url

    def _bind(self) -> Any:
        from werkzeug.serving import make_server

        # Bound here, not by werkzeug, which prints and exits the process when the port is taken.
        with self._listening_socket() as listening:
            return make_server(
                self.host,
                self.port,
                _build_app(),
                threaded=True,
                request_handler=_request_handler(),
                fd=listening.fileno(),
            )

    def _listening_socket(self) -> socket.socket:
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listening.bind((self.host, self.port))
            listening.listen(128)
        except OSError as error:
            listening.close()
            if error.errno == errno.EADDRINUSE:
                raise BadInput(f"port {self.port} on {self.host} is already in use") from None
            raise BadInput(f"cannot listen on {self.host}:{self.port}: {error.strerror}") from None
        return listening

    def stop(self) -> None:
        """Stop serving and wait for the server thread; state stays until reset()."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def reset(self) -> None:
        """Forget every resource, metric and runtime override (all of moto's state)."""
        from bgtui.emulator.state import clear_all_state

        apply_patches()
        clear_all_state()

    def set_health(self, function: str, version: str, healthy: bool) -> None:
        """Make one version answer healthy or broken, for invocations and synthetic traffic."""
        from bgtui.emulator.control_client import EmulatorControl

        EmulatorControl(self.url).set_health(self.region, function, version, healthy)

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
