"""The human text of `bgtui test`: verdict, kind and the version that answered, per check."""

from __future__ import annotations

from bgtui.cli.render import smoke_text
from bgtui.core.models import AliasState, Colour, ServiceRef, ServiceState
from bgtui.core.operations import SmokeReport
from bgtui.core.smoke import CheckResult


def report(*results: CheckResult) -> SmokeReport:
    ref = ServiceRef("payments-api", "eu-west-1")
    green = AliasState("green", "3", "rev-1")
    state = ServiceState(ref, None, green, None)
    return SmokeReport(state, Colour.GREEN, "3", results)


def test_each_check_shows_its_verdict_kind_and_who_answered() -> None:
    text = smoke_text(
        report(
            CheckResult("invoke:default", "invoke", True, True, "ok (v3)", "3", 12.0),
            CheckResult("http:default", "http", True, False, "GET … → 502", None, 8.0),
            CheckResult("http:health", "http", False, False, "not run: no invoke URL"),
        )
    )
    lines = text.splitlines()
    assert lines[0] == "smoke test of payments-api green v3"
    assert lines[1].split() == ["RESULT", "KIND", "CHECK", "ANSWERED", "MS", "DETAIL"]
    assert lines[2].split()[:4] == ["pass", "invoke", "invoke:default", "v3"]
    assert lines[3].split()[:4] == ["FAIL", "http", "http:default", "unknown"]
    assert lines[4].split()[:5] == ["NOT", "RUN", "http", "http:health", "-"]
    assert lines[5] == ("FAILED: 1/3 checks passed; failed: http:default; not run: http:health")
