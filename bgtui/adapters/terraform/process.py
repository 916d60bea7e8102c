"""Terraform as an asyncio subprocess: lines streamed as printed, stopped cleanly when abandoned."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
from collections import deque
from collections.abc import AsyncGenerator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from bgtui.adapters.terraform import command
from bgtui.adapters.terraform.mirror import AUTOMATION_ENV, CliConfig
from bgtui.adapters.terraform.output import events_from_output, lock_from_lines, workspaces_from
from bgtui.core.errors import BadInput, Refused, TerraformError
from bgtui.core.plan import PlanEvent, PlanLevel, PlanLine, PlanSummary, StateLocked, Workspaces

STREAM_LIMIT = 16 * 1024 * 1024
KEPT_ERROR_LINES = 200
_VERSION_BANNER = re.compile(r"^\s*$|^Terraform v?\d")
log = logging.getLogger("bgtui.terraform")


class TerraformRunner:
    """Runs terraform in one root directory with bgtui's CLI configuration.

    The streaming methods return async generators; close them (`contextlib.aclosing`) or cancel
    the task consuming them to stop terraform: it gets SIGINT and `stop_timeout` seconds to
    finish its in-flight calls and release the state lock, then SIGTERM (terraform's "exit
    immediately") and SIGKILL, and no process of its group is left behind. The patience is
    long on purpose: terraform honours SIGINT only once its providers have started, and a
    forced stop can leave the lock held (a later run then reports StateLocked).
    """

    def __init__(
        self,
        working_dir: str | Path,
        cli_config: CliConfig | Path | None,
        env: Mapping[str, str] | None = None,
        binary: str = "terraform",
        stop_timeout: float = 60.0,
        *,
        base_env: Mapping[str, str] | None = None,
        variables: Mapping[str, str] | None = None,
    ) -> None:
        self.working_dir = Path(working_dir)
        self.binary = binary
        self.stop_timeout = stop_timeout
        inherited = os.environ if base_env is None else base_env
        self._env = {**inherited, **(env or {}), **_config_env(cli_config)}
        self.variables = dict(variables or {})
        """Root variables every plan passes, before the ones a caller adds."""
        self.last_pid: int | None = None
        """Process id (and process group) of the terraform started last."""

    @property
    def environment(self) -> dict[str, str]:
        """The environment every terraform process of this runner starts with."""
        return dict(self._env)

    @property
    def initialised(self) -> bool:
        """True once init installed something here; a root needing nothing stays False."""
        return (self.working_dir / self._env.get("TF_DATA_DIR", ".terraform")).is_dir()

    def init(self, backend: bool = True, upgrade: bool = False) -> AsyncGenerator[PlanEvent, None]:
        """Install modules and providers (from the mirror); cheap to repeat before a plan."""
        return self._events(command.init_command(self.binary, backend, upgrade), "init")

    def plan(
        self,
        workspace: str | None = None,
        var: Mapping[str, str] | None = None,
        out: str | Path | None = None,
        *,
        destroy: bool = False,
    ) -> AsyncGenerator[PlanEvent, None]:
        """Stream a plan line by line, then its PlanSummary (with `plan_file` when `out` is set)."""
        plan_file = Path(out) if out else None
        variables = {**self.variables, **(var or {})}
        argv = command.plan_command(self.binary, plan_file, variables, destroy)
        return self._events(argv, "plan", _workspace_env(workspace), plan_file)

    def apply(
        self, plan_file: str | Path, *, confirmed: bool = False
    ) -> AsyncGenerator[PlanEvent, None]:
        """Apply a saved plan the operator reviewed and confirmed; refused otherwise."""
        if not confirmed:
            raise Refused("terraform apply needs the operator's confirmation of the plan")
        if not Path(self.working_dir, plan_file).is_file():
            raise BadInput(f"plan file {plan_file} does not exist")
        return self._events(command.apply_command(self.binary, Path(plan_file)), "apply")

    def show(self, plan_file: str | Path) -> AsyncGenerator[PlanEvent, None]:
        """The saved plan in terraform's human format, attribute by attribute."""
        return self._events(command.show_command(self.binary, Path(plan_file)), "show")

    async def plan_document(self, plan_file: str | Path) -> dict[str, Any]:
        """The saved plan as terraform's JSON document (`terraform show -json`)."""
        argv = command.show_json_command(self.binary, Path(plan_file))
        text = await self._collect(argv, "show")
        # stderr shares the pipe: a warning may come before or after the document's line.
        for line in text.splitlines():
            document = _json_document(line)
            if document is not None and "format_version" in document:
                return document
        raise TerraformError(f"terraform show printed no plan document for {plan_file}")

    async def workspaces(self) -> Workspaces:
        listing = await self._collect(command.workspace_list_command(self.binary), "workspace list")
        return workspaces_from(listing)

    async def select_workspace(self, name: str, create: bool = False) -> None:
        argv = command.workspace_select_command(self.binary, name, create)
        await self._collect(argv, f"workspace select {name}")

    async def _collect(self, argv: list[str], action: str) -> str:
        lines = [e.text async for e in self._events(argv, action) if isinstance(e, PlanLine)]
        return "\n".join(lines)

    async def _events(
        self,
        argv: list[str],
        action: str,
        extra_env: Mapping[str, str] | None = None,
        plan_file: Path | None = None,
    ) -> AsyncGenerator[PlanEvent, None]:
        process = await self._start(argv, extra_env or {})
        transcript = _Transcript(action)
        try:
            while (raw := await _read_line(process)) is not None:
                for event in events_from_output(raw):
                    if transcript.keep(event):
                        yield event
            await process.wait()
        finally:
            if process.returncode is None:
                await asyncio.shield(asyncio.ensure_future(self._stop(process)))
        transcript.raise_for(process.returncode)
        if transcript.summary is not None:
            yield replace(transcript.summary, plan_file=str(plan_file or ""))

    async def _start(
        self, argv: list[str], extra_env: Mapping[str, str]
    ) -> asyncio.subprocess.Process:
        if not self.working_dir.is_dir():
            raise BadInput(f"terraform directory {self.working_dir} does not exist")
        log.debug("running %s in %s", " ".join(argv[:3]), self.working_dir)
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                cwd=self.working_dir,
                env={**self._env, **extra_env},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                limit=STREAM_LIMIT,
                # Its own process group: the console's Ctrl-C never reaches terraform directly,
                # and the whole group can be reaped if terraform has to be killed.
                start_new_session=True,
            )
        except FileNotFoundError:
            raise TerraformError(f"terraform not found: {self.binary}") from None
        except PermissionError:
            raise TerraformError(f"terraform cannot be run: {self.binary}") from None
        self.last_pid = process.pid
        return process

    async def _stop(self, process: asyncio.subprocess.Process) -> None:
        """SIGINT lets terraform release the state lock; output is drained so it can exit."""
        drain = asyncio.ensure_future(_drain(process))
        steps = ((signal.SIGINT, self.stop_timeout), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0))
        for signum, patience in steps:
            if process.returncode is not None:
                break
            _signal_quietly(process, signum)
            if not await _exited(process, patience):
                log.warning("terraform ignored %s for %.0f s", signum.name, patience)
        _kill_group(process.pid)
        await asyncio.wait({drain}, timeout=5.0)
        if not drain.done():
            drain.cancel()
            log.warning("terraform's output stayed open after it exited")


def _config_env(cli_config: CliConfig | Path | None) -> dict[str, str]:
    if isinstance(cli_config, CliConfig):
        return cli_config.env()
    named = {"TF_CLI_CONFIG_FILE": str(cli_config)} if cli_config else {}
    return {**AUTOMATION_ENV, **named}


def _json_document(line: str) -> dict[str, Any] | None:
    if not line.startswith("{"):
        return None
    try:
        found = json.loads(line)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _workspace_env(workspace: str | None) -> dict[str, str]:
    # TF_WORKSPACE plans another workspace without changing the one selected in the directory.
    return {"TF_WORKSPACE": command.check_workspace_name(workspace)} if workspace else {}


async def _read_line(process: asyncio.subprocess.Process) -> str | None:
    assert process.stdout is not None
    try:
        raw = await process.stdout.readline()
    except ValueError:
        return f"(a line longer than {STREAM_LIMIT // (1024 * 1024)} MiB was left out)"
    if not raw:
        return None
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


async def _exited(process: asyncio.subprocess.Process, patience: float) -> bool:
    """Whether terraform itself exited in time (`wait()` would also wait for its pipes)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while process.returncode is None:
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def _drain(process: asyncio.subprocess.Process) -> None:
    while (line := await _read_line(process)) is not None:
        log.debug("terraform (stopping): %s", line)


def _signal_quietly(process: asyncio.subprocess.Process, signum: signal.Signals) -> None:
    try:
        process.send_signal(signum)
    except ProcessLookupError:
        log.debug("terraform had already exited before %s", signum.name)


def _kill_group(pgid: int) -> None:
    """Provider plugins left by a terraform that had to be killed die with their group."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        log.debug("no process left in terraform's group %d", pgid)
    except PermissionError:
        log.warning("cannot reap terraform's process group %d", pgid)


class _Transcript:
    """What a run printed that still matters once it ends: its errors and its change summary."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.errors: deque[str] = deque(maxlen=KEPT_ERROR_LINES)
        self.first_words = ""
        self.summary: PlanSummary | None = None

    def keep(self, event: PlanEvent) -> bool:
        """Note the event; False for the summary, which is handed out once terraform succeeded."""
        if isinstance(event, PlanSummary):
            self.summary = event
            return False
        if event.level is PlanLevel.ERROR:
            self.errors.append(event.text)
        if not self.first_words and not _VERSION_BANNER.match(event.text):
            self.first_words = event.text.strip()
        return True

    def raise_for(self, returncode: int | None) -> None:
        if returncode != 0:
            lock = lock_from_lines(self.errors)
            if lock is not None:
                raise StateLocked(lock)
            raise TerraformError(f"terraform {self.action} failed: {self._reason(returncode)}")
        if self.summary is None and self.action in ("plan", "apply"):
            raise TerraformError(f"terraform {self.action} finished without a change summary")

    def _reason(self, returncode: int | None) -> str:
        # Plain output may frame a diagnostic in box-drawing characters.
        errors = (e.lstrip("│╷╵ ") for e in self.errors)
        first_error = next((e for e in errors if e.startswith("Error: ")), "")
        if first_error:
            return first_error.removeprefix("Error: ")
        return self.first_words or f"exit status {returncode}"
