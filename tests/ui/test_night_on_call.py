"""A night on call: credentials expire mid-shift and come back; a locked keyring is opened
before the first signed record, never bypassed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bgtui.adapters.keyring.audit_key import AuditKey
from bgtui.adapters.keyring.secrets import (
    AUDIT_KEY,
    KeyringLocked,
    SecretStore,
    ensure_audit_signing_key,
)
from bgtui.app.backend import Backend
from bgtui.core.audit import AuditTrail
from bgtui.core.errors import CredentialsExpired
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.screens.unlock_keyring import UnlockKeyring
from bgtui.ui.widgets.bars import CredentialsBar, TopBar
from bgtui.ui.widgets.summary import ServiceSummary
from tests.reliability.canary import CHEAP_KDF
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.helpers import fill, outcomes, settle, shown
from tests.ui.test_console import SteppedClock

PASSPHRASE = "correct horse battery"


class ExpiringAws(MetricsFakeAws):
    """Every call is refused once the session expired, until a login and a new session."""

    endpoint_url = "http://127.0.0.1:4599"

    def __init__(self) -> None:
        super().__init__()
        self.expired = False
        self.logged_in = False
        self.sessions = 0

    def _call(self, operation: str) -> None:
        if self.expired:
            self.calls.append(f"refused {operation}")
            raise CredentialsExpired(
                f"AWS rejected the credentials (ExpiredTokenException) to call {operation}"
            )
        super()._call(operation)

    def refresh_credentials(self) -> None:
        """What AwsContext.refresh_credentials does: a new session, credentials read afresh."""
        self.sessions += 1
        if self.logged_in:
            self.expired = False


def expiring_console(tmp_path: Path) -> tuple[BgtuiApp, ExpiringAws, SteppedClock]:
    aws = ExpiringAws()
    demo_aws(aws)
    backend = replace(fake_backend(aws, tmp_path), context=aws)  # type: ignore[arg-type]
    clock = SteppedClock(NOW)
    return BgtuiApp(backend, clock=clock, refresh_seconds=0), aws, clock


async def test_expired_credentials_keep_the_data_say_what_to_do_and_reload_without_restart(
    tmp_path: Path,
) -> None:
    app, aws, clock = expiring_console(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        banner = app.dashboard.query_one(CredentialsBar)
        before = shown(app.dashboard.query_one(ServiceSummary))
        assert not banner.has_class("-active")

        aws.expired = True
        clock.now += timedelta(minutes=1)
        app.tick()
        await settle(pilot)
        advice = shown(banner)
        assert banner.has_class("-active")
        assert "expired at 03:01Z" in advice and "aws sso login" in advice
        assert "ctrl+r" in advice
        assert shown(app.dashboard.query_one(ServiceSummary)) == before, "the last data stays"
        assert len(app.model.states) == 2 and not app.model.unreadable
        assert "STALE" in shown(app.dashboard.query_one(TopBar))

        # Every read would fail alike: the console waits for the operator instead.
        refused = len(aws.calls)
        for _ in range(6):
            clock.now += timedelta(seconds=5)
            app.tick()
            await settle(pilot)
        assert len(aws.calls) == refused

        # Reloading before renewing: still expired, still said so.
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert aws.sessions == 1 and banner.has_class("-active")

        aws.logged_in = True  # `aws sso login` in another terminal
        fetches = len(aws.fetches)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert aws.sessions == 2
        assert not banner.has_class("-active")
        assert "STALE" not in shown(app.dashboard.query_one(TopBar))
        assert any("Credentials renewed: " in n for n in outcomes(app))
        assert len(aws.fetches) > fetches, "metrics read again at once"
        assert "sts:GetCallerIdentity" in aws.calls[refused:], "who is acting, asked again"


async def test_an_operation_refused_for_expiry_shows_the_banner(tmp_path: Path) -> None:
    app, aws, _ = expiring_console(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        aws.expired = True
        await pilot.press("p")
        await settle(pilot)
        assert app.dashboard.query_one(CredentialsBar).has_class("-active")
        assert app.screen is app.dashboard and app.dashboard.busy == ""


# -- the audit signing key in a locked keyring ------------------------------------------------


def locked_keyring(tmp_path: Path) -> SecretStore:
    """An encrypted keyring file holding the audit key, reopened locked as at a fresh start."""
    path = tmp_path / "keyring.cfg"
    first = SecretStore.encrypted(path, CHEAP_KDF)
    first.unlock(PASSPHRASE)
    ensure_audit_signing_key(first)
    reopened = SecretStore.encrypted(path, CHEAP_KDF)
    assert reopened.locked and reopened.has(AUDIT_KEY)
    return reopened


def signed_backend(aws: MetricsFakeAws, tmp_path: Path, store: SecretStore) -> Backend:
    audit_key = AuditKey(lambda: store)
    backend = fake_backend(aws, tmp_path)
    trail = AuditTrail(backend.settings.audit_path, signing_key=audit_key, clock=lambda: NOW)
    backend.operations.audit = trail
    return replace(backend, audit=trail, audit_key=audit_key)


def records(backend: Backend) -> list[dict[str, object]]:
    path = backend.settings.audit_path
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_the_keyring_is_unlocked_before_the_first_change_and_records_are_signed(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    store = locked_keyring(tmp_path)
    backend = signed_backend(aws, tmp_path, store)
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, UnlockKeyring)
        assert str(tmp_path / "keyring.cfg") in app.screen.location

        await fill(pilot, "#passphrase", "not the passphrase")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnlockKeyring), "asked again"
        assert "wrong passphrase" in app.screen.problem and store.locked

        await fill(pilot, "#passphrase", PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert not store.locked
        assert isinstance(app.screen, ChangeScreen), "the promote goes on once unlocked"
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("t")  # the next record needs no second unlock
        await settle(pilot)
        assert isinstance(app.screen, SmokeScreen)
    written = records(backend)
    assert written and all("hmac" in record for record in written)
    assert backend.audit.verify().ok


async def test_cancelling_the_unlock_starts_nothing_and_writes_nothing_unsigned(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    store = locked_keyring(tmp_path)
    backend = signed_backend(aws, tmp_path, store)
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for key in ("t", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, UnlockKeyring)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is app.dashboard
        assert "lambda:InvokeFunction" not in aws.calls
        assert any("signed or not at all" in n for n in outcomes(app))
    assert records(backend) == []


def test_a_record_is_refused_rather_than_written_unsigned(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    store = locked_keyring(tmp_path)
    backend = signed_backend(aws, tmp_path, store)
    ref = backend.catalog.find("payments-api")
    with pytest.raises(KeyringLocked, match="unlock it before a change"):
        backend.operations.run_smoke(ref)
    assert records(backend) == []
    assert backend.audit.verify().ok, "reading the trail does not need the key"
