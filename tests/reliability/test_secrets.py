"""Secrets: the encrypted keyring, refused backends, the audit key, AWS credentials, the modal."""

from __future__ import annotations

import argparse
import base64
import contextlib
import getpass
import html
import io
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyrings.cryptfile import cryptfile
from keyrings.cryptfile.file import EncryptedKeyring, PlaintextKeyring
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Static

from bgtui.adapters.keyring import secrets as secret_store
from bgtui.adapters.keyring.audit_key import AuditKey
from bgtui.adapters.keyring.credential_store import (
    AwsCredentials,
    aws_credentials,
    load_aws_credentials,
    print_credential_process,
    store_aws_credentials,
)
from bgtui.adapters.keyring.passphrase import NO_PROMPT_ENV, unlock_for_command
from bgtui.adapters.keyring.passphrase_fd import PASSPHRASE_FD_ENV, passphrase_from_fd
from bgtui.adapters.keyring.secrets import (
    AUDIT_KEY,
    DEFAULT_KDF,
    KeyringLocked,
    KeyringRefused,
    SecretStore,
    WrongPassphrase,
    audit_signing_key,
    encrypted_file_backend,
    ensure_audit_signing_key,
    refusal,
)
from bgtui.cli import arguments
from bgtui.cli import secrets as secrets_command
from bgtui.core.audit import AuditTrail
from bgtui.core.errors import EXIT_AWS, EXIT_BAD_INPUT, BadInput, CredentialError
from bgtui.demo.stack import ProvisionedService
from bgtui.ui.screens.unlock_keyring import UnlockKeyring
from tests.reliability.canary import CHEAP_KDF, Canary, assert_no_canary
from tests.reliability.harness import Cli

PASSPHRASE = "correct horse battery"
SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"


class MemoryKeyring(KeyringBackend):
    """An in-memory stand-in for a system keyring (allow-listed by name in the tests using it)."""

    priority = 1

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


# keyring registers every backend class it sees; this one must never be chosen outside a test.
KeyringBackend._classes.discard(MemoryKeyring)
MEMORY_KEYRING = f"{__name__}.MemoryKeyring"


@pytest.fixture
def data_home(isolated_keyring: Path) -> Path:
    return isolated_keyring


@pytest.fixture
def store(data_home: Path) -> SecretStore:
    opened = SecretStore.open()
    opened.unlock(PASSPHRASE)
    return opened


@pytest.fixture
def no_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything asks on the terminal."""

    def refuse(prompt: str = "", stream: object = None) -> str:
        raise AssertionError(f"prompted on the terminal: {prompt!r}")

    monkeypatch.setattr(getpass, "getpass", refuse)


@pytest.fixture
def allow_memory_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_store, "SYSTEM_BACKENDS", frozenset({MEMORY_KEYRING}))


def keyring_path(data_home: Path) -> Path:
    return data_home / "bgtui" / "keyring.cfg"


# --- the encrypted file ----------------------------------------------------------------------


def test_without_a_system_keyring_the_encrypted_file_is_used(data_home: Path) -> None:
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    opened = SecretStore.open()
    assert opened.encrypted_file == keyring_path(data_home)
    assert opened.locked
    assert not opened.initialised


def test_round_trip_through_a_reopened_file(store: SecretStore, data_home: Path) -> None:
    store.set("token", SECRET)
    store.set("aws:Prod", "upper")
    store.set("aws:prod", "lower")
    reopened = SecretStore.open()
    reopened.unlock(PASSPHRASE)
    assert reopened.get("token") == SECRET
    assert (reopened.get("aws:Prod"), reopened.get("aws:prod")) == ("upper", "lower")
    assert reopened.names() == ["aws:Prod", "aws:prod", "token"]
    assert reopened.delete("token") is True
    assert reopened.delete("token") is False
    assert reopened.get("token") is None


def test_wrong_passphrase_is_a_clear_error_and_stays_locked(
    store: SecretStore, no_prompt: None
) -> None:
    store.set("token", SECRET)
    other = SecretStore.open()
    with pytest.raises(WrongPassphrase) as caught:
        other.unlock("not the passphrase")
    assert caught.value.exit_code == EXIT_AWS
    assert str(caught.value) == f"wrong passphrase for the encrypted keyring {other.encrypted_file}"
    assert caught.value.__suppress_context__
    assert other.locked
    with pytest.raises(KeyringLocked):
        other.get("token")


def test_a_locked_file_never_prompts(data_home: Path, store: SecretStore, no_prompt: None) -> None:
    store.set("token", SECRET)
    locked = SecretStore.open()
    for operation in (lambda: locked.get("token"), lambda: locked.set("x", "y")):
        with pytest.raises(KeyringLocked, match="is locked"):
            operation()
    store.lock()
    with pytest.raises(KeyringLocked):
        store.get("token")
    assert locked.has("token") and not locked.has("other")


def test_the_cryptfile_backend_itself_refuses_to_prompt(
    store: SecretStore, data_home: Path, no_prompt: None
) -> None:
    store.set("token", SECRET)
    backend = encrypted_file_backend(keyring_path(data_home), CHEAP_KDF)
    with pytest.raises(KeyringLocked):
        backend.get_password("bgtui", "token")
    with pytest.raises(KeyringLocked):
        encrypted_file_backend(data_home / "new.cfg", CHEAP_KDF).set_password("bgtui", "t", "v")


def test_blank_and_short_passphrases_are_refused(data_home: Path) -> None:
    opened = SecretStore.open()
    with pytest.raises(BadInput, match="blank"):
        opened.unlock("   ")
    with pytest.raises(BadInput, match="at least 8"):
        opened.unlock("short")
    assert not keyring_path(data_home).exists()


def test_the_file_holds_neither_secret_nor_passphrase(store: SecretStore, data_home: Path) -> None:
    store.set("token", SECRET)
    ensure_audit_signing_key(store)
    content = keyring_path(data_home).read_bytes()
    for plain in (SECRET, PASSPHRASE, store.get(AUDIT_KEY) or "missing"):
        for form in (plain.encode(), base64.b64encode(plain.encode())):
            assert form not in content
    assert b"[Argon2] AES128.GCM" in content
    assert stat.S_IMODE(keyring_path(data_home).stat().st_mode) == 0o600
    assert stat.S_IMODE(keyring_path(data_home).parent.stat().st_mode) == 0o700


def test_default_cost_is_cryptfiles_own_so_its_tools_read_our_file() -> None:
    assert (DEFAULT_KDF.time_cost, DEFAULT_KDF.memory_cost_kib, DEFAULT_KDF.parallelism) == (
        cryptfile.DEFAULT_TIME_COST,
        cryptfile.DEFAULT_MEMORY_COST,
        cryptfile.DEFAULT_PARALLELISM,
    )


def test_names_are_printable_ascii(store: SecretStore) -> None:
    for name in ("", " padded ", "tab\there", "naïve"):
        with pytest.raises(BadInput):
            store.set(name, "v")


# --- choosing a backend ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (fail.Keyring(), "is not a keyring"),
        (null.Keyring(), "is not a keyring"),
        (chainer.ChainerBackend(), "is not a keyring"),
        (PlaintextKeyring(), "plain text"),
        (EncryptedKeyring(), "not a recognised system keyring"),
        (cryptfile.CryptFileKeyring(), "not a recognised system keyring"),
        (MemoryKeyring(), "not a recognised system keyring"),
    ],
)
def test_backends_that_are_not_system_keyrings_are_refused(
    backend: KeyringBackend, why: str
) -> None:
    assert why in (refusal(backend) or "accepted")


def test_a_plaintext_backend_is_refused(data_home: Path) -> None:
    plaintext = PlaintextKeyring()
    with pytest.raises(KeyringRefused, match="plain text") as caught:
        SecretStore(plaintext)
    assert caught.value.exit_code == EXIT_BAD_INPUT
    keyring.set_keyring(plaintext)
    opened = SecretStore.open()
    opened.unlock(PASSPHRASE)
    opened.set("token", SECRET)
    assert opened.encrypted_file == keyring_path(data_home)
    assert not Path(plaintext.file_path).exists()


def test_a_name_like_keyrings_alt_is_refused() -> None:
    lookalike = type("Keyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})
    KeyringBackend._classes.discard(lookalike)
    assert "plain text" in (refusal(lookalike()) or "accepted")


def test_this_hosts_chain_of_file_backends_leads_to_our_encrypted_file(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = [cryptfile.CryptFileKeyring(), EncryptedKeyring(), PlaintextKeyring()]
    monkeypatch.setattr(chainer.ChainerBackend, "backends", chain)
    assert SecretStore.open(chainer.ChainerBackend()).encrypted_file == keyring_path(data_home)


def test_a_system_keyring_is_used_and_never_locked(
    data_home: Path, allow_memory_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [PlaintextKeyring(), system])
    opened = SecretStore.open(chainer.ChainerBackend())
    assert opened.encrypted_file is None and not opened.locked and opened.names() is None
    opened.set("token", SECRET)
    assert system.entries == {("bgtui", "token"): SECRET}
    assert "MemoryKeyring" in opened.description
    assert not keyring_path(data_home).exists()


# --- the audit signing key -------------------------------------------------------------------


def test_audit_key_is_created_once_and_read_back(store: SecretStore) -> None:
    assert audit_signing_key(store) is None
    key = ensure_audit_signing_key(store)
    assert len(key) == 32
    assert ensure_audit_signing_key(store) == key
    assert audit_signing_key(store) == key
    assert store.get(AUDIT_KEY) == key.hex()


def test_audit_key_is_none_while_the_default_store_is_locked(
    store: SecretStore, no_prompt: None
) -> None:
    ensure_audit_signing_key(store)
    assert audit_signing_key() is None


def test_audit_key_unlocks_the_default_store_from_a_descriptor(
    store: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = ensure_audit_signing_key(store)
    monkeypatch.setenv(PASSPHRASE_FD_ENV, str(_pipe_holding(PASSPHRASE + "\n")))
    assert audit_signing_key() == key


def test_a_wrong_passphrase_from_a_descriptor_is_not_silently_ignored(
    store: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_audit_signing_key(store)
    monkeypatch.setenv(PASSPHRASE_FD_ENV, str(_pipe_holding("a wrong passphrase")))
    with pytest.raises(WrongPassphrase):
        audit_signing_key()


def test_a_damaged_audit_key_is_reported(store: SecretStore) -> None:
    store.set(AUDIT_KEY, "not-hex")
    with pytest.raises(BadInput, match="not 64 hex digits"):
        audit_signing_key(store)


def test_audit_key_from_a_system_keyring(allow_memory_keyring: None) -> None:
    system = SecretStore(MemoryKeyring())
    assert ensure_audit_signing_key(system) == audit_signing_key(system)


def test_records_are_refused_while_the_keyring_holding_the_key_is_locked(
    store: SecretStore, data_home: Path, no_prompt: None
) -> None:
    ensure_audit_signing_key(store)
    source = AuditKey(lambda: SecretStore.open())
    assert source.locked_location() == f"encrypted file {keyring_path(data_home)}"
    trail = AuditTrail(data_home / "audit.jsonl", signing_key=source)
    with pytest.raises(KeyringLocked, match="audit signing key"):
        trail.append({"action": "test"})
    assert not (data_home / "audit.jsonl").exists() or trail.records() == []


def test_a_command_may_unlock_on_its_terminal_and_then_signs(
    store: SecretStore, data_home: Path
) -> None:
    key = ensure_audit_signing_key(store)
    locked = SecretStore.open()
    source = AuditKey(lambda: locked, unlock_locked=lambda opened: opened.unlock(PASSPHRASE))
    assert source() == key and not locked.locked
    assert source.locked_location() == ""


def test_no_key_configured_means_unsigned_records_by_choice(data_home: Path) -> None:
    locked = SecretStore.open()
    assert locked.locked
    assert AuditKey(lambda: locked)() is None
    assert AuditKey(lambda: locked).locked_location() == ""


def test_a_command_without_terminal_refuses_to_write_an_unsigned_record(
    store: SecretStore,
    cli: Cli,
    service: ProvisionedService,
    monkeypatch: pytest.MonkeyPatch,
    no_prompt: None,
) -> None:
    ensure_audit_signing_key(store)
    secret_store.use_default_store(None)  # a new process: the keyring file starts locked
    ran = cli("test", service.function)
    assert ran.code == EXIT_AWS and ran.one_line_error, ran
    assert "keyring locked" in ran.err.lower() and PASSPHRASE_FD_ENV in ran.err
    assert cli.records(service.function) == []

    secret_store.use_default_store(None)
    monkeypatch.setenv(PASSPHRASE_FD_ENV, str(_pipe_holding(PASSPHRASE)))
    assert cli("test", service.function).code == 0
    written = cli.records(service.function)
    assert written and all(record.hmac is not None for record in written)


# --- AWS credentials -------------------------------------------------------------------------


def test_aws_credentials_round_trip_as_boto3_arguments(store: SecretStore) -> None:
    store_aws_credentials(store, "ops", "AKIAIOSFODNN7EXAMPLE", SECRET, "token-123")
    assert aws_credentials(store, "ops") == {
        "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key": SECRET,
        "aws_session_token": "token-123",
    }
    assert store.names() == ["aws:ops"]


def test_credentials_never_show_their_secret_parts() -> None:
    credentials = AwsCredentials("AKIAIOSFODNN7EXAMPLE", SECRET, "token-123")
    assert SECRET not in repr(credentials) and "token-123" not in repr(credentials)


def test_missing_and_expired_credentials_are_credential_errors(store: SecretStore) -> None:
    with pytest.raises(CredentialError, match="bgtui secrets set-aws ops"):
        aws_credentials(store, "ops")
    ended = datetime(2026, 1, 1, tzinfo=UTC)
    store_aws_credentials(store, "ops", "ASIAIOSFODNN7EXAMPLE", SECRET, "tok", ended)
    assert load_aws_credentials(store, "ops", ended - timedelta(minutes=1)).session_token == "tok"
    with pytest.raises(CredentialError, match="expired"):
        aws_credentials(store, "ops", ended)


@pytest.mark.parametrize(
    ("key_id", "secret", "message"),
    [
        ("short", SECRET, "access key id"),
        ("AKIAIOSFODNN7EXAMPLE", "has blank", "secret access key"),
        ("AKIAIOSFODNN7EXAMPLE", "", "secret access key"),
    ],
)
def test_malformed_credentials_are_bad_input(key_id: str, secret: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as caught:
        AwsCredentials(key_id, secret)
    assert secret not in str(caught.value) or not secret


def test_credential_process_prints_what_the_sdk_expects(store: SecretStore) -> None:
    ended = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    store_aws_credentials(store, "ops", "ASIAIOSFODNN7EXAMPLE", SECRET, "tok", ended)
    out, err = io.StringIO(), io.StringIO()
    code = print_credential_process("ops", out, err, store)
    assert (code, err.getvalue()) == (0, "")
    assert json.loads(out.getvalue()) == {
        "Version": 1,
        "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "SecretAccessKey": SECRET,
        "SessionToken": "tok",
        "Expiration": "2031-05-06T07:08:09Z",
    }


def test_credential_process_command_fails_in_one_line_when_locked(data_home: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), NO_PROMPT_ENV: "1"}
    env.pop(PASSPHRASE_FD_ENV, None)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    done = subprocess.run(
        [sys.executable, "-m", "bgtui", "secrets", "credential-process", "--profile", "ops"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_AWS
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("bgtui: keyring locked: the encrypted file ")


# --- the passphrase outside the console ------------------------------------------------------


def _pipe_holding(text: str) -> int:
    read_end, write_end = os.pipe()
    os.write(write_end, text.encode())
    os.close(write_end)
    return read_end


def test_the_passphrase_is_read_from_a_descriptor_and_it_is_closed() -> None:
    descriptor = _pipe_holding(PASSPHRASE + "\n")
    assert passphrase_from_fd({PASSPHRASE_FD_ENV: str(descriptor)}) == PASSPHRASE
    with pytest.raises(OSError):
        os.fstat(descriptor)


@pytest.mark.parametrize("value", ["0", "2", "-1", "three", "987"])
def test_unusable_descriptors_are_bad_input(value: str) -> None:
    with pytest.raises(BadInput, match=PASSPHRASE_FD_ENV):
        passphrase_from_fd({PASSPHRASE_FD_ENV: value})


def test_without_terminal_or_descriptor_the_store_stays_locked(
    data_home: Path, no_prompt: None
) -> None:
    opened = SecretStore.open()
    with pytest.raises(KeyringLocked, match=PASSPHRASE_FD_ENV):
        unlock_for_command(opened, {}, io.StringIO())
    assert opened.locked


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_new_keyring_asks_twice_on_a_terminal(data_home: Path) -> None:
    answers = iter([PASSPHRASE, "different passphrase"])
    opened = SecretStore.open()
    with pytest.raises(BadInput, match="differ"):
        unlock_for_command(opened, {}, FakeTerminal(), lambda prompt: next(answers))
    assert not keyring_path(data_home).exists()
    unlock_for_command(opened, {}, FakeTerminal(), lambda prompt: PASSPHRASE)
    assert not opened.locked and opened.initialised


def test_no_prompt_is_honoured_even_on_a_terminal(data_home: Path, no_prompt: None) -> None:
    with pytest.raises(KeyringLocked):
        unlock_for_command(SecretStore.open(), {NO_PROMPT_ENV: "1"}, FakeTerminal())


# --- bgtui secrets ---------------------------------------------------------------------------


def secrets_args(*argv: str) -> secrets_command.SecretsRequest:
    parser = argparse.ArgumentParser(prog="bgtui secrets")
    arguments.secrets_arguments(parser)
    return secrets_command.SecretsRequest.parsed(parser.parse_args(argv))


Headless = Callable[..., secrets_command.Terminal]


@pytest.fixture
def headless() -> Iterator[Headless]:
    """Terminal-less callers that hand the passphrase over through a descriptor each."""
    descriptors: list[int] = []

    def terminal(stdin: str = "") -> secrets_command.Terminal:
        descriptors.append(_pipe_holding(PASSPHRASE))
        env = {PASSPHRASE_FD_ENV: str(descriptors[-1])}
        return secrets_command.Terminal(io.StringIO(), io.StringIO(), io.StringIO(stdin), env)

    yield terminal
    for unread in descriptors:
        with contextlib.suppress(OSError):
            os.close(unread)


def test_secrets_command_headless_session(
    data_home: Path, headless: Headless, no_prompt: None
) -> None:
    fresh = SecretStore.open
    init = headless()
    assert secrets_command.run(secrets_args("init-audit-key"), init, fresh()) == 0
    assert "created in the encrypted file" in init.out.getvalue()
    document = json.dumps({"AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": SECRET})
    piped = headless(document)
    assert secrets_command.run(secrets_args("set-aws", "Ops"), piped, fresh()) == 0
    status = headless()
    assert secrets_command.run(secrets_args("status"), status, fresh()) == 0
    assert status.out.getvalue().splitlines() == [
        f"keyring: encrypted file {keyring_path(data_home)} (locked)",
        "audit signing key: present",
        "AWS credentials for profiles: Ops",
    ]
    outputs = init.out.getvalue() + piped.out.getvalue() + status.out.getvalue()
    assert SECRET not in outputs and PASSPHRASE not in outputs


def test_secrets_delete_and_a_missing_name(data_home: Path, headless: Headless) -> None:
    seeded = SecretStore.open()
    seeded.unlock(PASSPHRASE)
    seeded.set("aws:ops", "{}")
    assert (
        secrets_command.run(secrets_args("delete", "aws:ops"), headless(), SecretStore.open()) == 0
    )
    with pytest.raises(BadInput, match="no entry named 'aws:ops'"):
        secrets_command.run(secrets_args("delete", "aws:ops"), headless(), SecretStore.open())


def test_secrets_set_aws_refuses_a_document_that_is_not_json(
    data_home: Path, headless: Headless
) -> None:
    with pytest.raises(BadInput, match="JSON"):
        secrets_command.run(secrets_args("set-aws", "ops"), headless(SECRET), SecretStore.open())


def test_secrets_set_aws_asks_on_a_terminal(store: SecretStore) -> None:
    answers = iter([SECRET, ""])
    terminal = secrets_command.Terminal(
        io.StringIO(),
        io.StringIO(),
        FakeTerminal(),
        {},
        ask_secret=lambda prompt: next(answers),
        ask_visible=lambda prompt: "AKIAIOSFODNN7EXAMPLE",
    )
    assert secrets_command.run(secrets_args("set-aws", "ops"), terminal, store) == 0
    assert aws_credentials(store, "ops")["aws_secret_access_key"] == SECRET


# --- the unlock modal ------------------------------------------------------------------------


def screen_text(app: App[None]) -> str:
    """The screenshot's visible text: SVG tags dropped, entities (spaces are &#160;) decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", app.export_screenshot())).replace("\xa0", " ")


class ModalHost(App[None]):
    """Pushes the modal at start and keeps what it returned."""

    def __init__(self, modal: UnlockKeyring) -> None:
        super().__init__()
        self.modal = modal
        self.returned: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Static("console")

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.returned.append)


async def test_modal_returns_the_passphrase_without_showing_it() -> None:
    app = ModalHost(UnlockKeyring("encrypted file /tmp/keyring.cfg"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PASSPHRASE)
        await pilot.pause()
        svg, shown = app.export_screenshot(), screen_text(app)
        assert "•" * len(PASSPHRASE) in shown
        await pilot.press("enter")
        await pilot.pause()
    assert PASSPHRASE not in shown and "horse" not in shown and "horse" not in svg
    assert app.returned == [PASSPHRASE]


async def test_modal_escape_returns_none() -> None:
    app = ModalHost(UnlockKeyring("encrypted file /tmp/keyring.cfg"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"typed", "escape")
        await pilot.pause()
    assert app.returned == [None]


async def test_modal_shows_a_problem_and_never_copies() -> None:
    app = ModalHost(UnlockKeyring("encrypted file", problem="wrong passphrase for the keyring"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "wrong passphrase for the keyring" in screen_text(app)
        await pilot.press(*PASSPHRASE, "shift+home", "ctrl+c")
        await pilot.pause()
        field = app.screen.query_one("#passphrase", Input)
        assert field.selected_text == PASSPHRASE
        field.action_copy()
        field.action_cut()
        assert PASSPHRASE not in app.clipboard
        assert field.value == PASSPHRASE


async def enter_twice(pilot: Pilot[None], first: str, again: str) -> None:
    """Fill the two fields (typing each key is slow) and submit each with Enter."""
    screen = pilot.app.screen
    screen.query_one("#passphrase", Input).value = first
    await pilot.press("enter")
    screen.query_one("#passphrase-again", Input).value = again
    await pilot.press("enter")


async def test_modal_for_a_new_keyring_wants_the_passphrase_twice() -> None:
    app = ModalHost(UnlockKeyring("encrypted file", creating=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_twice(pilot, PASSPHRASE, "something else")
        assert "differ" in screen_text(app)
        assert app.screen.query_one("#passphrase", Input).value == ""
        await enter_twice(pilot, "short", "short")
        assert "at least 8" in screen_text(app)
        assert app.returned == []
        await enter_twice(pilot, PASSPHRASE, PASSPHRASE)
    assert app.returned == [PASSPHRASE]


# --- the canary helper -----------------------------------------------------------------------


def test_canary_finds_leaks_in_text_files_and_encodings(canary: Canary, tmp_path: Path) -> None:
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == canary.secret_access_key
    assert (
        aws_credentials(canary.store, canary.profile)["aws_session_token"] == canary.session_token
    )
    assert audit_signing_key() == bytes.fromhex(canary.audit_key_hex)
    clean = tmp_path / "logs"
    clean.mkdir()
    (clean / "app.log").write_text("refreshed 2 services\n")
    assert_no_canary("nothing here", b"nor here", clean, canary.store.encrypted_file)
    half = canary.keyring_secret[: len(canary.keyring_secret) // 2]
    (clean / "leak.log").write_text(f"error: token={half}...\n")
    encoded = base64.b64encode(canary.passphrase.encode())
    for leak in (clean, f"oops {canary.session_token}", b"x" + encoded):
        with pytest.raises(AssertionError, match="leaked"):
            assert_no_canary(leak)


def test_a_webhook_is_kept_in_the_keyring_shown_by_host_and_read_back_by_reference(
    data_home: Path, headless: Headless, no_prompt: None
) -> None:
    from bgtui.app.notifications import webhook_url

    url = "https://hooks.slack.com/services/T000/B000/" + SECRET
    piped = headless(url + "\n")
    assert secrets_command.run(secrets_args("set-webhook", "releases"), piped, fresh_store()) == 0
    said = piped.out.getvalue()
    assert "hooks.slack.com" in said and SECRET not in said and "keyring:releases" in said
    assert SECRET not in keyring_path(data_home).read_text()
    opened = fresh_store()
    opened.unlock(PASSPHRASE)
    secret_store.use_default_store(opened)
    try:
        assert webhook_url("keyring:releases", env={}) == url
        with pytest.raises(BadInput, match="set-webhook other"):
            webhook_url("keyring:other", env={})
    finally:
        secret_store.use_default_store(None)
    with pytest.raises(BadInput, match="only https"):
        secrets_command.run(
            secrets_args("set-webhook", "x"), headless("http://example.com/" + SECRET), opened
        )


def fresh_store() -> SecretStore:
    return SecretStore.open()
