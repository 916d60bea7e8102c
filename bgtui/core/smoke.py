"""Smoke checks against the idle colour, and the record that feeds the promotion gate."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bgtui.core.models import InvokeResult, ServiceState, SmokeCheck
from bgtui.core.ports import FunctionsPort
from bgtui.errors import BgtuiError

HttpGet = Callable[[str], tuple[int, str]]


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one smoke check."""

    name: str
    passed: bool
    detail: str
    duration_ms: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.name,
            "passed": self.passed,
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


def judge_invoke(check: SmokeCheck, answer: InvokeResult) -> tuple[bool, str]:
    """Whether one invocation's answer satisfies its check, and why."""
    if answer.function_error:
        return False, f"function error {answer.function_error}: {answer.payload[:160]}"
    if not 200 <= answer.status_code < 300:
        return False, f"invoke status {answer.status_code}"
    if check.expect and check.expect not in answer.payload:
        return False, f"answer lacks {check.expect!r}: {answer.payload[:120]}"
    return True, f"ok (v{answer.executed_version or '?'}): {answer.payload[:80]}"


def _timed(call: Callable[[], tuple[bool, str]], name: str) -> CheckResult:
    started = time.perf_counter()
    try:
        passed, detail = call()
    except BgtuiError as error:
        passed, detail = False, f"{error.title}: {error}"
    return CheckResult(name, passed, detail, (time.perf_counter() - started) * 1000)


def run_checks(
    functions: FunctionsPort,
    state: ServiceState,
    checks: Sequence[SmokeCheck],
    http_get: HttpGet | None = None,
) -> tuple[CheckResult, ...]:
    """Invoke the idle alias once per check; on real AWS also request the test stage URL."""
    idle = state.idle_alias
    if idle is None:
        return (CheckResult("idle-alias", False, "no idle colour to test"),)
    results = []
    for check in checks:
        payload = check.payload.encode()

        def invoke(check: SmokeCheck = check, payload: bytes = payload) -> tuple[bool, str]:
            answer = functions.invoke(state.ref.function, idle.name, payload)
            return judge_invoke(check, answer)

        results.append(_timed(invoke, f"invoke:{check.name}"))
        if check.http_path:
            results.append(_http_check(state, check, http_get))
    return tuple(results)


def _http_check(state: ServiceState, check: SmokeCheck, http_get: HttpGet | None) -> CheckResult:
    stage = state.stages.get(state.ref.test_stage)
    name = f"http:{check.name}"
    if stage is None or not stage.invoke_url or http_get is None:
        return CheckResult(name, True, "skipped: the test stage URL is not served here")
    url = stage.invoke_url.rstrip("/") + "/" + check.http_path.lstrip("/")

    def request() -> tuple[bool, str]:
        status, body = http_get(url)
        if not 200 <= status < 300:
            return False, f"GET {url} → {status}"
        if check.expect and check.expect not in body:
            return False, f"GET {url} lacks {check.expect!r}"
        return True, f"GET {url} → {status}"

    return _timed(request, name)


def summarise(results: Sequence[CheckResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    failed = [r.name for r in results if not r.passed]
    text = f"{passed}/{len(results)} checks passed"
    return f"{text}; failed: {', '.join(failed)}" if failed else text
