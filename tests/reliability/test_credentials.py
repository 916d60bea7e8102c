"""Credentials that are wrong or expire mid-session: exit 4 in one line, nothing changed, and
the console's backend carries on after `refresh_credentials()` without a restart."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.core.errors import EXIT_AWS, CredentialError
from bgtui.demo.stack import ProvisionedService
from bgtui.emulator.clients import EmulatorClients
from bgtui.ui.app import BgtuiApp
from bgtui.ui.widgets.bars import CredentialsBar
from tests.reliability.fault_proxy import Answer, FaultProxy, operation, signed_with
from tests.reliability.harness import Cli, assert_trail_complete, pointers
from tests.ui.helpers import select_service, settle, shown

EXPIRED = Answer(
    403, "ExpiredTokenException", "The security token included in the request is expired"
)
UNRECOGNIZED = Answer(
    403, "UnrecognizedClientException", "The security token included in the request is invalid."
)
INVALID_TOKEN = Answer(
    403, "InvalidClientTokenId", "The security token included in the request is invalid."
)


@pytest.mark.parametrize(
    ("rejected", "answer"),
    [
        ("resourcegroupstaggingapi:GetResources", UNRECOGNIZED),
        ("sts:GetCallerIdentity", INVALID_TOKEN),
        ("lambda:UpdateAlias", EXPIRED),
    ],
    ids=["at-discovery", "at-identity", "at-the-swap"],
)
def test_rejected_credentials_exit_4_in_one_line_and_change_nothing(
    cli: Cli,
    service: ProvisionedService,
    proxy: FaultProxy,
    clients: EmulatorClients,
    rejected: str,
    answer: Answer,
) -> None:
    assert cli("test", service.function).code == 0
    before = pointers(clients, service)
    proxy.add(answer, operation(rejected))
    ran = cli("promote", service.function, "--reason", "CHG-3", "--yes", endpoint=proxy.url)
    assert ran.code == EXIT_AWS and ran.one_line_error, ran
    assert "credentials" in ran.err and answer.code in ran.err
    assert "secret" not in ran.err.lower() and "testing" not in ran.err
    assert pointers(clients, service) == before
    assert_trail_complete(cli.trail())
    promote = [r for r in cli.records(service.function) if r.action == "promote"]
    if rejected == "lambda:UpdateAlias":
        assert [r.outcome for r in promote] == [None, "failed"]
        assert promote[-1].error.startswith("Credentials:")
    else:
        # Without a caller identity no intent can be written, and nothing is attempted.
        assert promote == []


def assumed_role(endpoint: str, session: str) -> dict[str, str]:
    """Fresh credentials, as `aws sso login` or a credential process would hand out."""
    sts = boto3.client(
        "sts",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    role = "arn:aws:iam::123456789012:role/bgtui-operator"
    return sts.assume_role(RoleArn=role, RoleSessionName=session)["Credentials"]


def use_credentials(monkeypatch: pytest.MonkeyPatch, credentials: dict[str, str]) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", credentials["SessionToken"])


def test_the_backend_works_again_after_refresh_credentials_without_a_restart(
    service: ProvisionedService,
    proxy: FaultProxy,
    clients: EmulatorClients,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = assumed_role(clients.endpoint_url, "day-shift")
    use_credentials(monkeypatch, first)
    settings = Settings(endpoint_url=proxy.url, region="us-east-1", audit_path=tmp_path / "a.jsonl")
    backend = build_backend(settings)
    ref = backend.catalog.find(service.function)
    assert backend.operations.run_smoke(ref).passed
    proxy.add(EXPIRED, signed_with(first["AccessKeyId"]))
    with pytest.raises(CredentialError, match="ExpiredTokenException"):
        backend.catalog.read(ref)

    use_credentials(monkeypatch, assumed_role(clients.endpoint_url, "night-shift"))
    backend.refresh_credentials()
    change = backend.operations.prepare_promote(ref, reason="CHG-4")
    result = backend.operations.execute(change, change.confirmation_text)

    assert result.state_after is not None and result.state_after.live_colour == "green"
    intent = next(r for r in backend.audit.records() if r.phase == "intent")
    assert intent.actor.aws.endswith(":assumed-role/bgtui-operator/night-shift"), (
        "the audit trail names the caller of the refreshed credentials"
    )
    assert_trail_complete(backend.audit)


async def test_the_console_shows_expiry_keeps_its_data_and_reloads_renewed_credentials(
    service: ProvisionedService,
    proxy: FaultProxy,
    clients: EmulatorClients,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """AWS answers ExpiredTokenException once a role session ended (AWS Common Errors); after
    the operator renews the credentials, ctrl+r reloads them into the running console."""
    first = assumed_role(clients.endpoint_url, "day-shift")
    use_credentials(monkeypatch, first)
    settings = Settings(endpoint_url=proxy.url, region="us-east-1", audit_path=tmp_path / "a.jsonl")
    app = BgtuiApp(build_backend(settings), refresh_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select_service(pilot, service.function)
        assert app.model.state(service.function) is not None
        banner = app.dashboard.query_one(CredentialsBar)

        proxy.add(EXPIRED, signed_with(first["AccessKeyId"]))
        app.tick()
        await settle(pilot)
        assert banner.has_class("-active") and "aws sso login" in shown(banner)
        assert app.model.state(service.function) is not None, "the last data is kept"

        use_credentials(monkeypatch, assumed_role(clients.endpoint_url, "night-shift"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not banner.has_class("-active")
        identity = app.backend.operations.actor()
        assert identity.arn.endswith(":assumed-role/bgtui-operator/night-shift")
