"""Smoke checks against the idle colour, and the record that feeds the promotion gate."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bgtui.core.errors import BgtuiError
from bgtui.core.models import (
    AliasState,
    Colour,
    InvokeResult,
    ServiceState,
    SmokeCheck,
    StageState,
)
from bgtui.core.ports import FunctionsPort, HttpAnswer, HttpPort

CheckKind = Literal["invoke", "http"]
VERSION_HEADER = "X-Bgtui-Version"
"""The response header a function sets to the version that served the request.

API Gateway does not pass Lambda's executed version back to the caller, so an HTTP answer
says which version served it only when the function itself says so (from its context's
`function_version`); bgtui's demo and example functions do.
"""
MAX_VERSION_CHARS = 32


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one smoke check; a check that could not run (`ran` false) never passes."""

    name: str
    kind: CheckKind
    ran: bool
    passed: bool
    detail: str
    executed_version: str | None = None
    duration_ms: float = 0.0

    @property
    def verdict(self) -> str:
        if self.passed:
            return "pass"
        return "FAIL" if self.ran else "NOT RUN"

    @property
    def answered_by(self) -> str:
        """Which version answered, in a few characters: "-" when the check did not run."""
        if not self.ran:
            return "-"
        return f"v{self.executed_version}" if self.executed_version else "unknown"

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.name,
            "kind": self.kind,
            "ran": self.ran,
            "passed": self.passed,
            "executed_version": self.executed_version,
            "detail": self.detail,
            "ms": round(self.duration_ms, 1),
        }


@dataclass(frozen=True)
class SmokeRecord:
    """The latest smoke run of one version, as recorded in the audit trail."""

    version: str
    colour: str
    passed: bool
    at: datetime
    summary: str


@dataclass(frozen=True)
class SmokeReport:
    """The results of one smoke run against the idle colour."""

    state: ServiceState
    colour: Colour
    version: str
    results: tuple[CheckResult, ...]
    warnings: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def summary(self) -> str:
        return summarise(self.results)


def version_problem(
    reported: str | None, idle: AliasState, routed_to: str | None, live_version: str | None = None
) -> str:
    """Why the answer may not be counted for the idle version, or "" when it may.

    A reported version must be the idle one. When the answer does not say, the request is
    counted only if it was routed by the idle alias's name.
    """
    if reported is not None and reported != idle.version:
        via = f" through {routed_to}" if routed_to else ""
        whose = " (the live version: production answered)" if reported == live_version else ""
        return f"answered by v{reported}{whose}{via}, not the idle {idle.name} v{idle.version}"
    if reported is None and routed_to != idle.name:
        return f"version not reported and routed to {routed_to or 'nothing'}, not {idle.name}"
    return ""


def shown(text: str, limit: int) -> str:
    """The start of an answer, kept as answered: every presenter shows its control and escape
    characters as escapes (bgtui.core.plain_text), so a reader sees what the server sent."""
    return text[:limit]


def _version_note(reported: str | None, routed_to: str | None) -> str:
    return f"v{reported}" if reported else f"version not reported (routed to {routed_to})"


def judge_invoke(check: SmokeCheck, answer: InvokeResult, idle: AliasState) -> tuple[bool, str]:
    """Whether one invocation of the idle alias satisfies its check, and why."""
    reported = answer.executed_version or None
    mismatch = version_problem(reported, idle, idle.name)
    if mismatch:
        return False, mismatch
    if answer.function_error:
        return False, f"function error {answer.function_error}: {shown(answer.payload, 160)}"
    if not 200 <= answer.status_code < 300:
        return False, f"invoke status {answer.status_code}"
    if check.expect and check.expect not in answer.payload:
        return False, f"answer lacks {check.expect!r}: {shown(answer.payload, 120)}"
    return True, f"ok ({_version_note(reported, idle.name)}): {shown(answer.payload, 80)}"


def judge_http(
    check: SmokeCheck,
    url: str,
    answer: HttpAnswer,
    idle: AliasState,
    stage: StageState,
    live_version: str | None = None,
) -> tuple[bool, str]:
    """Whether one request to the test stage satisfies its check, and why."""
    reported = reported_version(answer)
    mismatch = version_problem(reported, idle, stage.lambda_alias, live_version)
    if mismatch:
        return False, f"GET {url} → {answer.status}: {mismatch}"
    if not 200 <= answer.status < 300:
        return False, f"GET {url} → {answer.status}: {shown(answer.body, 120)}"
    if check.expect and check.expect not in answer.body:
        return False, f"GET {url} lacks {check.expect!r}: {shown(answer.body, 120)}"
    note = _version_note(reported, stage.lambda_alias)
    return True, f"GET {url} → {answer.status} ({note})"


def reported_version(answer: HttpAnswer) -> str | None:
    """The version the answer says served it; None when it does not say (or says nonsense)."""
    value = answer.headers.get(VERSION_HEADER.lower(), "").strip()
    if not value or len(value) > MAX_VERSION_CHARS or not value.isprintable():
        return None
    return value


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def run_checks(
    functions: FunctionsPort,
    state: ServiceState,
    checks: Sequence[SmokeCheck],
    http: HttpPort | None = None,
) -> tuple[CheckResult, ...]:
    """Invoke the idle alias once per check, and request the test stage where a check names
    an HTTP path."""
    idle = state.idle_alias
    if idle is None:
        return (CheckResult("idle-alias", "invoke", False, False, "not run: no idle colour"),)
    results = []
    for check in checks:
        results.append(_invoke_check(functions, state.ref.function, idle, check))
        if check.http_path:
            results.append(_http_check(http, state, idle, check))
    return tuple(results)


def _invoke_check(
    functions: FunctionsPort, function: str, idle: AliasState, check: SmokeCheck
) -> CheckResult:
    name, started = f"invoke:{check.name}", time.perf_counter()
    try:
        answer = functions.invoke(function, idle.name, check.payload.encode())
    except BgtuiError as error:
        detail = f"not run: invoke {idle.name}: {error.title}: {error}"
        return CheckResult(name, "invoke", False, False, detail, None, _elapsed_ms(started))
    passed, detail = judge_invoke(check, answer, idle)
    version = answer.executed_version or None
    return CheckResult(name, "invoke", True, passed, detail, version, _elapsed_ms(started))


def _http_check(
    http: HttpPort | None, state: ServiceState, idle: AliasState, check: SmokeCheck
) -> CheckResult:
    name, stage_name = f"http:{check.name}", state.ref.test_stage
    stage = state.stages.get(stage_name)
    if stage is None or not stage.invoke_url or http is None:
        unavailable = _why_not_requestable(http, stage, stage_name)
        return CheckResult(name, "http", False, False, f"not run: {unavailable}")
    url = stage.invoke_url.rstrip("/") + "/" + check.http_path.lstrip("/")
    started = time.perf_counter()
    try:
        answer = http.get(url)
    except BgtuiError as error:
        detail = f"not run: GET {url}: {error}"
        return CheckResult(name, "http", False, False, detail, None, _elapsed_ms(started))
    live_version = state.live.version if state.live else None
    passed, detail = judge_http(check, url, answer, idle, stage, live_version)
    version = reported_version(answer)
    return CheckResult(name, "http", True, passed, detail, version, _elapsed_ms(started))


def _why_not_requestable(http: HttpPort | None, stage: StageState | None, stage_name: str) -> str:
    if stage is None:
        return f"the API has no stage {stage_name!r}"
    if not stage.invoke_url:
        return f"no invoke URL is known for stage {stage_name!r}"
    return "no HTTP client to request the test stage with"


def summarise(results: Sequence[CheckResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    failed = [r.name for r in results if r.ran and not r.passed]
    not_run = [r.name for r in results if not r.ran]
    text = f"{passed}/{len(results)} checks passed"
    if failed:
        text += f"; failed: {', '.join(failed)}"
    if not_run:
        text += f"; not run: {', '.join(not_run)}"
    return text
