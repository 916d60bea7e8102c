"""A real command in a tmux pane of a private tmux server: launch it, read the screen, its pid."""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType

POLL_S = 0.02
_sockets = itertools.count()


class PaneTimeout(RuntimeError):
    """What the pane showed never matched; carries the last screen."""


class TmuxPane:
    """The pane waits for `launch()`, so starting tmux itself is not part of what is measured."""

    def __init__(
        self,
        command: Sequence[str],
        env: Mapping[str, str],
        width: int = 120,
        height: int = 36,
    ) -> None:
        self.command = list(command)
        self.env = dict(env)
        self.width, self.height = width, height
        # A private server: other tmux users on the machine are never touched.
        self.socket = f"bgtui-bench-{os.getpid()}-{next(_sockets)}"

    def open(self) -> TmuxPane:
        waiting = ["sh", "-c", 'read _ && exec "$@"', "sh", *self.command]
        size = ["-x", str(self.width), "-y", str(self.height)]
        self._tmux("new-session", "-d", "-s", "bench", *size, *waiting)
        return self

    def launch(self) -> float:
        """Start the command now; returns the perf_counter() it was started at."""
        launched_at = time.perf_counter()
        self._tmux("send-keys", "-t", "bench", "Enter")
        return launched_at

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "bench")

    @property
    def pid(self) -> int:
        """The command's process id (it replaced the waiting shell, so it is the pane's)."""
        return int(self._tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())

    def wait_for(self, shown: Callable[[str], bool], timeout_s: float = 60.0) -> float:
        """Poll the screen every 20 ms until `shown(screen)`; the perf_counter() it matched at."""
        deadline = time.perf_counter() + timeout_s
        screen = ""
        while time.perf_counter() < deadline:
            screen = self.screen()
            if shown(screen):
                return time.perf_counter()
            time.sleep(POLL_S)
        raise PaneTimeout(f"the pane never showed what was awaited; last screen:\n{screen}")

    def close(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            env=self.env,
            capture_output=True,
            check=False,
        )

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def __enter__(self) -> TmuxPane:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
