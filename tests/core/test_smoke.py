"""Smoke checks against fakes: what ran, which version answered, and what the gate makes of it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.errors import Conflict, EndpointUnreachable, Refused
from bgtui.core.models import Colour, InvokeResult, StageState
from bgtui.core.operations import BlueGreen
from bgtui.core.plain_text import printable
from bgtui.core.policy import Policy
from bgtui.core.ports import HttpAnswer
from bgtui.core.routing import ApiIntegration
from bgtui.core.smoke import CheckResult, SmokeReport, summarise
from tests.core.conftest import NOW
from tests.core.states import state_of
from tests.fakes import FakeAws

TEST_URL = "https://api0.execute-api.eu-west-1.amazonaws.com/test"


class FakeHttp:
    """Answers by URL; a URL it does not know cannot be reached."""

    def __init__(self, answers: dict[str, HttpAnswer] | None = None) -> None:
        self.answers = answers or {}
        self.requested: list[str] = []

    def get(self, url: str) -> HttpAnswer:
        self.requested.append(url)
        if url not in self.answers:
            raise EndpointUnreachable("the connection was refused or could not be made")
        return self.answers[url]


def answer(status: int = 200, version: str | None = "3", body: str = '{"ok": true}') -> HttpAnswer:
    headers = {"x-bgtui-version": version} if version else {}
    return HttpAnswer(status, headers, body)


@pytest.fixture
def aws() -> FakeAws:
    fake = FakeAws()
    fake.add_service("payments-api")  # blue v2 live, green v3 idle, test stage → green
    fake.functions["payments-api"].tags["bluegreen:smoke-path"] = "/health"
    fake.stages["api0"]["test"] = StageState("test", "green", TEST_URL)
    return fake


def make_ops(aws: FakeAws, trail: AuditTrail, http: FakeHttp | None) -> BlueGreen:
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)
    return BlueGreen(
        catalog, aws, aws, trail, aws, Policy(), sink=aws, http=http, clock=lambda: NOW
    )


def smoke(aws: FakeAws, trail: AuditTrail, http: FakeHttp | None) -> tuple[CheckResult, ...]:
    ops = make_ops(aws, trail, http)
    return ops.run_smoke(ops.catalog.find("payments-api")).results


def by_kind(results: tuple[CheckResult, ...]) -> dict[str, CheckResult]:
    return {r.kind: r for r in results}


def test_the_smoke_path_tag_adds_a_request_to_the_test_stage(
    aws: FakeAws, trail: AuditTrail
) -> None:
    http = FakeHttp({f"{TEST_URL}/health": answer()})
    results = by_kind(smoke(aws, trail, http))
    assert http.requested == [f"{TEST_URL}/health"]
    assert results["invoke"].ran and results["invoke"].passed
    assert results["invoke"].executed_version == "3"
    assert results["http"].ran and results["http"].passed
    assert results["http"].executed_version == "3"
    assert results["http"].as_dict() == {
        "check": "http:default",
        "kind": "http",
        "ran": True,
        "passed": True,
        "executed_version": "3",
        "detail": f"GET {TEST_URL}/health → 200 (v3)",
        "ms": round(results["http"].duration_ms, 1),
    }


@pytest.mark.parametrize(
    ("http", "stage", "why"),
    [
        (None, StageState("test", "green", TEST_URL), "no HTTP client"),
        (FakeHttp(), StageState("test", "green", ""), "no invoke URL is known for stage 'test'"),
        (FakeHttp(), StageState("test", "green", TEST_URL), "the connection was refused"),
    ],
)
def test_a_check_that_could_not_run_is_not_run_and_fails_the_gate(
    aws: FakeAws, trail: AuditTrail, http: FakeHttp | None, stage: StageState, why: str
) -> None:
    aws.stages["api0"]["test"] = stage
    ops = make_ops(aws, trail, http)
    report = ops.run_smoke(ops.catalog.find("payments-api"))
    checked = by_kind(report.results)["http"]
    assert (checked.ran, checked.passed, checked.executed_version) == (False, False, None)
    assert checked.verdict == "NOT RUN" and why in checked.detail
    assert not report.passed
    assert report.summary == "1/2 checks passed; not run: http:default"
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="CHG-1")
    assert [g.name for g in change.failed_gates] == ["smoke-passed"]
    with pytest.raises(Refused, match="smoke-passed"):
        ops.execute(change, change.confirmation_text)


def test_a_stage_without_the_test_stage_is_not_run(aws: FakeAws, trail: AuditTrail) -> None:
    del aws.stages["api0"]["test"]
    checked = by_kind(smoke(aws, trail, FakeHttp()))["http"]
    assert not checked.ran and "the API has no stage 'test'" in checked.detail


def test_an_invocation_that_could_not_be_made_is_not_run(aws: FakeAws, trail: AuditTrail) -> None:
    aws.unreachable_on.add("lambda:InvokeFunction")
    checked = by_kind(smoke(aws, trail, FakeHttp({f"{TEST_URL}/health": answer()})))["invoke"]
    assert (checked.ran, checked.passed) == (False, False)
    assert checked.detail.startswith("not run: invoke green: Unreachable")


def test_an_answer_from_another_version_fails_naming_both(aws: FakeAws, trail: AuditTrail) -> None:
    http = FakeHttp({f"{TEST_URL}/health": answer(version="2")})
    checked = by_kind(smoke(aws, trail, http))["http"]
    assert checked.ran and not checked.passed and checked.executed_version == "2"
    assert (
        "answered by v2 (the live version: production answered) through green,"
        " not the idle green v3"
    ) in checked.detail


def test_an_invocation_executed_by_another_version_fails(
    aws: FakeAws, trail: AuditTrail, monkeypatch: pytest.MonkeyPatch
) -> None:
    def moved(function: str, qualifier: str, payload: bytes) -> InvokeResult:
        return InvokeResult(200, '{"ok": true}', "", "2")  # the alias moved meanwhile

    monkeypatch.setattr(aws, "invoke", moved)
    checked = by_kind(smoke(aws, trail, FakeHttp({f"{TEST_URL}/health": answer()})))["invoke"]
    assert checked.ran and not checked.passed
    assert checked.detail == "answered by v2 through green, not the idle green v3"


def test_an_unreported_version_counts_only_when_the_stage_routes_to_the_idle_alias(
    aws: FakeAws, trail: AuditTrail
) -> None:
    http = FakeHttp({f"{TEST_URL}/health": answer(version=None)})
    checked = by_kind(smoke(aws, trail, http))["http"]
    assert checked.passed and checked.executed_version is None
    assert checked.answered_by == "unknown"
    assert "version not reported (routed to green)" in checked.detail
    aws.stages["api0"]["test"] = StageState("test", "blue", TEST_URL)
    checked = by_kind(smoke(aws, trail, http))["http"]
    assert checked.ran and not checked.passed
    assert "version not reported and routed to blue, not green" in checked.detail


def test_a_server_error_of_the_idle_version_fails_and_prints_safely(
    aws: FakeAws, trail: AuditTrail
) -> None:
    http = FakeHttp({f"{TEST_URL}/health": answer(502, None, '\x1b[2J{"message": "down"}')})
    checked = by_kind(smoke(aws, trail, http))["http"]
    assert checked.ran and not checked.passed
    assert checked.detail == f'GET {TEST_URL}/health → 502: \x1b[2J{{"message": "down"}}'
    # Kept as answered; the terminal gets it as an escape a reader sees, never as a control.
    assert printable(checked.detail).endswith('\\x1b[2J{"message": "down"}')


def test_a_nonsense_version_header_is_not_taken_for_a_version(
    aws: FakeAws, trail: AuditTrail
) -> None:
    http = FakeHttp({f"{TEST_URL}/health": answer(version="3\x1b[2J" + "x" * 40)})
    checked = by_kind(smoke(aws, trail, http))["http"]
    assert checked.executed_version is None and checked.passed


def test_the_audit_record_keeps_kind_ran_and_version(aws: FakeAws, trail: AuditTrail) -> None:
    smoke(aws, trail, None)
    tested = trail.records()[-1].tested
    assert [(r["kind"], r["ran"], r["executed_version"]) for r in tested.results] == [
        ("invoke", True, "3"),
        ("http", False, None),
    ]


def test_the_summary_names_failed_and_not_run_checks_apart() -> None:
    results = (
        CheckResult("invoke:a", "invoke", True, True, "ok"),
        CheckResult("http:a", "http", True, False, "502"),
        CheckResult("http:b", "http", False, False, "not run"),
    )
    assert summarise(results) == "1/3 checks passed; failed: http:a; not run: http:b"
    assert [r.verdict for r in results] == ["pass", "FAIL", "NOT RUN"]
    assert [r.answered_by for r in (replace(results[0], executed_version="7"), results[2])] == [
        "v7",
        "-",
    ]


def test_a_report_without_results_has_not_passed() -> None:
    passed = CheckResult("invoke:a", "invoke", True, True, "ok")
    assert not SmokeReport(state_of(), Colour.GREEN, "3", ()).passed
    assert SmokeReport(state_of(), Colour.GREEN, "3", (passed,)).passed


def test_the_smoke_run_needs_an_idle_colour_that_is_still_the_one_seen(
    aws: FakeAws, trail: AuditTrail
) -> None:
    ops = make_ops(aws, trail, None)
    with pytest.raises(Conflict, match="blue is not idle any more"):
        ops.run_smoke(ops.catalog.find("payments-api"), Colour.BLUE)
    del aws.functions["payments-api"].aliases["live"]
    with pytest.raises(Refused, match="cannot test payments-api: alias live is missing"):
        ops.run_smoke(ops.catalog.find("payments-api"))
    assert trail.records() == [], "nothing ran, nothing is recorded"


def test_a_test_stage_serving_production_is_a_warning_of_the_smoke_run(
    aws: FakeAws, trail: AuditTrail
) -> None:
    """The invocation of the idle alias still counts; the report says the stage is mis-wired."""
    pinned = (
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:eu-west-1:123456789012:function:payments-api:live/invocations"
    )

    class Pinned:
        def lambda_integrations(self, api_id: str) -> tuple[ApiIntegration, ...]:
            return (ApiIntegration("ANY /", pinned),)

    aws.functions["payments-api"].tags["bluegreen:stage-variable"] = "alias"
    aws.stages["api0"] = {
        "prod": StageState("prod", None, "", {"alias": "live"}),
        "test": StageState("test", None, TEST_URL, {"alias": "green"}),
    }
    ops = make_ops(aws, trail, FakeHttp({f"{TEST_URL}/health": answer()}))
    ops.catalog.integrations = Pinned()
    report = ops.run_smoke(ops.catalog.find("payments-api"))
    assert report.passed
    assert report.warnings[0] == (
        "test stage does not route by stageVariables.alias: it serves live's alias"
        " — tests on it test production"
    )
