"""A random canary secret planted where secrets live, and a check that it surfaces nowhere else.

Use `canary` (a fixture) in a test, run the thing under test, then pass every log, audit file,
screenshot and error message it produced to `assert_no_canary`.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backends import fail

from bgtui.adapters.keyring import secrets as secret_store
from bgtui.adapters.keyring.credential_store import store_aws_credentials
from bgtui.adapters.keyring.passphrase import NO_PROMPT_ENV
from bgtui.adapters.keyring.passphrase_fd import PASSPHRASE_FD_ENV
from bgtui.adapters.keyring.secrets import KdfCost, SecretStore, ensure_audit_signing_key

# Argon2 at its production cost takes seconds per entry; the file format does not change with it.
CHEAP_KDF = KdfCost(time_cost=1, memory_cost_kib=8, parallelism=1)
CANARY_PROFILE = "canary"
CANARY_ENTRY = "canary-token"
MIN_FRAGMENT = 12

_planted: list[str] = []


@pytest.fixture
def isolated_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No system keyring (keyring's failing backend, set in code), files under tmp, cheap KDF.

    Yields the XDG data home; the encrypted file is `<it>/bgtui/keyring.cfg`.
    """
    data = tmp_path / "xdg-data"
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv(PASSPHRASE_FD_ENV, raising=False)
    monkeypatch.delenv(NO_PROMPT_ENV, raising=False)
    monkeypatch.setattr(secret_store, "DEFAULT_KDF", CHEAP_KDF)
    secret_store.use_default_store(None)
    yield data
    secret_store.use_default_store(None)


@dataclass(frozen=True)
class Canary:
    """The planted values and the unlocked store that holds them."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    keyring_secret: str
    passphrase: str
    audit_key_hex: str
    store: SecretStore
    profile: str = CANARY_PROFILE

    @property
    def values(self) -> tuple[str, ...]:
        """Everything that must never be seen outside the keyring and the SDK."""
        return (
            self.secret_access_key,
            self.session_token,
            self.keyring_secret,
            self.passphrase,
            self.audit_key_hex,
        )


@pytest.fixture
def canary(isolated_keyring: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Canary]:
    """Plant random secrets in the environment and in the (default, unlocked) keyring."""
    access_key_id = "ASIA" + secrets.token_hex(8).upper()
    secret_access_key = "canarySAK" + secrets.token_urlsafe(30)
    session_token = "canaryTOK" + secrets.token_urlsafe(60)
    passphrase = "canaryPASS" + secrets.token_urlsafe(18)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret_access_key)
    monkeypatch.setenv("AWS_SESSION_TOKEN", session_token)
    store = SecretStore.open()
    store.unlock(passphrase)
    store_aws_credentials(store, CANARY_PROFILE, access_key_id, secret_access_key, session_token)
    planted = Canary(
        access_key_id,
        secret_access_key,
        session_token,
        keyring_secret="canaryKR" + secrets.token_urlsafe(30),
        passphrase=passphrase,
        audit_key_hex=ensure_audit_signing_key(store).hex(),
        store=store,
    )
    store.set(CANARY_ENTRY, planted.keyring_secret)
    secret_store.use_default_store(store)
    _planted[:] = planted.values
    yield planted
    _planted.clear()


def _needles(value: str) -> list[bytes]:
    raw = value.encode()
    half = len(raw) // 2
    fragments = [raw[:half], raw[half:]] if half >= MIN_FRAGMENT else []
    return [raw, base64.b64encode(raw), raw.hex().encode(), *fragments]


def _haystacks(item: str | bytes | Path) -> Iterator[tuple[str, bytes]]:
    if isinstance(item, Path):
        files = sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
        for path in files:
            yield str(path), path.read_bytes()
    elif isinstance(item, bytes):
        yield "bytes", item
    else:
        yield "text", item.encode()


def assert_no_canary(*texts_or_paths: str | bytes | Path) -> None:
    """Fail when a planted value (whole, half, base64 or hex) is in any text, file or directory."""
    assert _planted, "no canary planted: use the `canary` fixture"
    for where, content in (h for item in texts_or_paths for h in _haystacks(item)):
        for value in _planted:
            leaked = [n for n in _needles(value) if n in content]
            assert not leaked, f"a planted secret leaked into {where}: {leaked[0]!r}"
