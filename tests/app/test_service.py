"""The release service: the flows both front ends call, over the in-memory AWS fake."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bgtui.app.deploy_source import DeployRequest
from bgtui.app.service import ReleaseService
from bgtui.core.change import Action, Outcome
from bgtui.core.errors import BadInput, BgtuiError, Conflict, OperationFailed
from bgtui.core.models import Colour
from tests.ui.fake_backend import MetricsFakeAws, demo_aws, fake_backend


@pytest.fixture
def aws() -> MetricsFakeAws:
    return demo_aws()


@pytest.fixture
def service(aws: MetricsFakeAws, tmp_path: Path) -> ReleaseService:
    return ReleaseService(fake_backend(aws, tmp_path))


def test_status_reads_every_service_and_names_what_it_could_not_read(
    service: ReleaseService, aws: MetricsFakeAws
) -> None:
    assert sorted(s.ref.function for s in service.status().states) == [
        "ledger-writer",
        "payments-api",
    ]
    aws.unreachable_on.add("lambda:ListAliases")
    report = service.status()
    assert report.states == () and len(report.unreadable) == 2
    assert "could not reach" in str(report.unreadable[0])


def test_status_of_one_unreadable_service_raises(
    service: ReleaseService, aws: MetricsFakeAws
) -> None:
    aws.unreachable_on.add("lambda:ListAliases")
    with pytest.raises(BgtuiError, match="could not reach"):
        service.status("payments-api")


def test_smoke_then_promote_swaps_live_and_records_it(service: ReleaseService) -> None:
    ref = service.find("payments-api")
    assert service.smoke(ref, Colour.GREEN).passed
    change = service.prepare_promote(ref, Colour.GREEN, "CHG-1")
    assert change.action is Action.PROMOTE and change.target_colour is Colour.GREEN
    result = service.execute(change, change.confirmation_text)
    assert result.outcome is Outcome.OK
    assert service.read(ref).live_colour is Colour.GREEN
    actions = [r.action for r in service.audit.records("payments-api")]
    assert actions == ["test", "promote", "promote"]  # smoke, intent, outcome
    assert service.audit.records("ledger-writer") == []
    assert service.audit.verify().ok


def test_an_override_without_a_reason_is_bad_input(service: ReleaseService) -> None:
    with pytest.raises(BadInput, match="reason"):
        service.prepare_promote(service.find("payments-api"), overrides=("smoke",))


def test_a_deploy_to_a_colour_no_longer_idle_is_a_conflict(service: ReleaseService) -> None:
    ref = service.find("payments-api")
    request = DeployRequest("version", reason="CHG-2", version="1")
    assert service.prepare_deploy(ref, request, Colour.GREEN).target_colour is Colour.GREEN
    with pytest.raises(Conflict, match="blue is not idle"):
        service.prepare_deploy(ref, request, Colour.BLUE)


def test_versions_are_newest_first(service: ReleaseService) -> None:
    assert [v.version for v in service.versions("payments-api")] == ["3", "2", "1"]


def test_terraform_runs_as_the_operator_bgtui_acts_as(
    aws: MetricsFakeAws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console's runner once had no AWS environment: the service hands every runner the
    operator's profile, region and endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "a-static-key-that-would-win-over-the-profile")
    monkeypatch.setenv("BGTUI_TF_PROVIDER_MIRROR", "")
    backend = fake_backend(aws, tmp_path)
    backend.settings = replace(backend.settings, profile="sandbox-oncall")
    root = tmp_path / "root"
    root.mkdir()
    env = ReleaseService(backend).terraform_runner(root).environment
    assert env["AWS_PROFILE"] == "sandbox-oncall"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4599"
    assert "AWS_ACCESS_KEY_ID" not in env


def test_logs_name_the_live_colours_version_and_are_refused_without_a_reader(
    service: ReleaseService,
) -> None:
    state = service.read(service.find("payments-api"))
    live = state.live_colour
    assert live is not None and state.live is not None
    assert service.log_source("payments-api", "live") == (live.value, state.live.version)
    assert service.backend.logs is None and not service.reads_logs
    now = service.backend.clock()
    with pytest.raises(OperationFailed, match="logs cannot be read"):
        service.log_history("payments-api", state.live.version, now, now)


def test_logs_of_an_unknown_colour_are_bad_input(service: ReleaseService) -> None:
    with pytest.raises(BadInput, match="takes blue, green or live"):
        service.log_source("payments-api", "red")
