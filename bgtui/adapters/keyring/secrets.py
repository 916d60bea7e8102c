"""Secrets through keyring: a system keyring or an encrypted file, never a plaintext backend.

Every call that reaches a keyring blocks (D-Bus round trips, or for the encrypted file an
Argon2 key derivation of one to two seconds per entry): callers make them in thread workers.
"""

from __future__ import annotations

import configparser
import functools
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordDeleteError
from keyrings.cryptfile import cryptfile
from keyrings.cryptfile.escape import escape, unescape

# Re-exported: the names a caller of this module uses with it.
from bgtui.adapters.keyring.names import AUDIT_KEY as AUDIT_KEY
from bgtui.adapters.keyring.names import MIN_NEW_PASSPHRASE as MIN_NEW_PASSPHRASE
from bgtui.adapters.keyring.names import SERVICE as SERVICE
from bgtui.adapters.keyring.names import KeyringLocked as KeyringLocked
from bgtui.adapters.keyring.names import WrongPassphrase as WrongPassphrase
from bgtui.adapters.keyring.passphrase_fd import passphrase_from_fd
from bgtui.core.errors import BadInput, CredentialError

AUDIT_KEY_BYTES = 32
KEYRING_FILE = "keyring.cfg"
# cryptfile writes this entry when it creates a file, and decrypts it to check a passphrase.
_SETTINGS_SECTION = "keyring-setting"
_REFERENCE_ENTRY = "password reference"

# Only backends that hand secrets to the operating system's own store. An allow-list, because a
# plaintext backend can carry any name: anything not listed falls back to the encrypted file.
SYSTEM_BACKENDS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)

T = TypeVar("T")


class KeyringRefused(BadInput):
    """A keyring backend that would not keep secrets safe (plaintext, or no keyring at all)."""

    title = "Keyring refused"


@dataclass(frozen=True)
class KdfCost:
    """Argon2id parameters of the encrypted file; cryptfile does not record them in the file."""

    time_cost: int = cryptfile.DEFAULT_TIME_COST
    """Argon2 iterations."""
    memory_cost_kib: int = cryptfile.DEFAULT_MEMORY_COST
    """Argon2 memory in KiB."""
    parallelism: int = cryptfile.DEFAULT_PARALLELISM
    """Argon2 lanes."""


DEFAULT_KDF = KdfCost()


def backend_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def refusal(backend: KeyringBackend) -> str | None:
    """Why `backend` is not a usable system keyring, or None when it is one."""
    name = backend_name(backend)
    if isinstance(backend, fail.Keyring | null.Keyring | chainer.ChainerBackend):
        return f"{name} is not a keyring (no Secret Service or other system keyring here)"
    if "plaintext" in name.lower() or name.startswith("keyrings.alt"):
        return f"{name} would store secrets in plain text"
    if name not in SYSTEM_BACKENDS:
        return f"{name} is not a recognised system keyring"
    if not type(backend).viable:
        return f"{name} is not usable on this host"
    return None


def system_backend(candidate: KeyringBackend | None = None) -> KeyringBackend | None:
    """The usable system keyring behind `candidate` (default: keyring's choice), or None."""
    chosen = keyring.get_keyring() if candidate is None else candidate
    for backend in _chained(chosen):
        if refusal(backend) is None:
            return backend
    return None


def _chained(backend: KeyringBackend) -> Iterable[KeyringBackend]:
    if isinstance(backend, chainer.ChainerBackend):
        return list(backend.backends)
    return [backend]


def data_home(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def keyring_file(env: Mapping[str, str] = os.environ) -> Path:
    """Where the encrypted keyring lives: $XDG_DATA_HOME/bgtui/keyring.cfg."""
    return data_home(env) / "bgtui" / KEYRING_FILE


def encrypted_file_backend(path: Path, cost: KdfCost) -> cryptfile.CryptFileKeyring:
    """A CryptFileKeyring at `path` that raises KeyringLocked instead of prompting."""
    backend = cryptfile.CryptFileKeyring()
    backend.file_path = str(path)
    backend.time_cost = cost.time_cost
    backend.memory_cost = cost.memory_cost_kib
    backend.parallelism = cost.parallelism
    # cryptfile would call getpass on the terminal when its key is missing; the console owns it.
    backend._init_keyring = _guarded(backend, backend._init_keyring)
    backend._get_new_password = functools.partial(_refuse_prompt, path)
    return backend


def _guarded(
    backend: cryptfile.CryptFileKeyring, init_keyring: Callable[[], None]
) -> Callable[[], None]:
    def init_with_key() -> None:
        if backend._keyring_key is None:
            _refuse_prompt(Path(backend.file_path))
        init_keyring()

    return init_with_key


def _refuse_prompt(path: Path) -> NoReturn:
    raise KeyringLocked(f"the encrypted keyring {path} is locked: unlock it with its passphrase")


class SecretStore:
    """Named secrets in one keyring backend; thread-safe, every call blocking.

    The system keyring when one is usable, otherwise an encrypted file (keyrings.cryptfile,
    Argon2id + AES-GCM) that stays locked until `unlock(passphrase)`.
    """

    def __init__(self, backend: KeyringBackend) -> None:
        if not isinstance(backend, cryptfile.CryptFileKeyring) and (why := refusal(backend)):
            raise KeyringRefused(f"refusing keyring backend: {why}")
        self._backend = backend
        self._file = backend if isinstance(backend, cryptfile.CryptFileKeyring) else None
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls,
        candidate: KeyringBackend | None = None,
        path: Path | None = None,
        cost: KdfCost | None = None,
    ) -> SecretStore:
        """The system keyring if usable, else the encrypted file (default `keyring_file()`)."""
        system = system_backend(candidate)
        if system is not None:
            return cls(system)
        return cls.encrypted(path or keyring_file(), cost)

    @classmethod
    def encrypted(cls, path: Path, cost: KdfCost | None = None) -> SecretStore:
        return cls(encrypted_file_backend(path, cost or DEFAULT_KDF))

    @property
    def encrypted_file(self) -> Path | None:
        """The encrypted keyring file, or None for a system keyring."""
        return None if self._file is None else Path(self._file.file_path)

    @property
    def description(self) -> str:
        path = self.encrypted_file
        if path is None:
            return f"system keyring ({backend_name(self._backend)})"
        return f"encrypted file {path}"

    @property
    def locked(self) -> bool:
        return self._file is not None and self._file._keyring_key is None

    @property
    def initialised(self) -> bool:
        """False only for an encrypted file not created yet: the next unlock sets its passphrase."""
        return self.encrypted_file is None or self._has_entry(_SETTINGS_SECTION, _REFERENCE_ENTRY)

    def unlock(self, passphrase: str) -> None:
        """Open the encrypted file (creating it on first use); no-op for a system keyring."""
        if self._file is None:
            return
        path = Path(self._file.file_path)
        _check_passphrase(passphrase, creating=not self.initialised)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self._lock:
            try:
                self._file.keyring_key = passphrase
            except (ValueError, configparser.Error):
                del self._file.keyring_key
                raise WrongPassphrase(
                    f"wrong passphrase for the encrypted keyring {path}"
                ) from None

    def lock(self) -> None:
        if self._file is not None:
            with self._lock:
                del self._file.keyring_key

    def get(self, name: str) -> str | None:
        return self._call(self._backend.get_password, SERVICE, _stored_name(name))

    def set(self, name: str, value: str) -> None:
        if not value:
            raise BadInput(f"refusing to store an empty value for {name!r}")
        self._call(self._backend.set_password, SERVICE, _stored_name(name), value)

    def delete(self, name: str) -> bool:
        """Remove `name`; False when it was not there."""
        try:
            self._call(self._backend.delete_password, SERVICE, _stored_name(name))
        except PasswordDeleteError:
            return False
        return True

    def has(self, name: str) -> bool:
        """Whether `name` is stored; for the encrypted file this needs no passphrase."""
        if self.encrypted_file is not None:
            return self._has_entry(SERVICE, _stored_name(name))
        return self.get(name) is not None

    def names(self) -> list[str] | None:
        """The stored names (not values) of the encrypted file; None for a system keyring."""
        config = self._file_config()
        if config is None:
            return None
        section = escape(SERVICE)
        if not config.has_section(section):
            return []
        return sorted(_given_name(unescape(option)) for option in config.options(section))

    def _call(self, operation: Callable[..., T], *args: str) -> T:
        if self._file is not None and self.locked:
            _refuse_prompt(Path(self._file.file_path))
        with self._lock:
            try:
                return operation(*args)
            except PasswordDeleteError:
                raise
            except KeyringError as error:
                raise CredentialError(f"keyring: {error}") from None
            except ValueError:
                raise CredentialError(f"keyring: {self.description} is damaged") from None

    def _has_entry(self, section: str, option: str) -> bool:
        config = self._file_config()
        return config is not None and config.has_option(escape(section), escape(option))

    def _file_config(self) -> configparser.RawConfigParser | None:
        path = self.encrypted_file
        if path is None:
            return None
        config = configparser.RawConfigParser()
        try:
            config.read(path)
        except configparser.Error:
            raise CredentialError(f"keyring: {self.description} is damaged") from None
        return config


def _stored_name(name: str) -> str:
    """`name` as the backend keeps it; the encrypted file's INI format folds case, so capitals
    (and the marker itself) are written as `^` + the lower-case letter."""
    if not name or not (name.isascii() and name.isprintable()) or name != name.strip():
        raise BadInput(f"secret name {name!r} must be printable ASCII with no surrounding blanks")
    return "".join(f"^{c.lower()}" if c.isupper() or c == "^" else c for c in name)


def _given_name(stored: str) -> str:
    return re.sub(
        r"\^(.)", lambda m: m.group(1) if m.group(1) == "^" else m.group(1).upper(), stored
    )


def _check_passphrase(passphrase: str, creating: bool) -> None:
    if not passphrase.strip():
        raise BadInput("the keyring passphrase must not be blank")
    if creating and len(passphrase) < MIN_NEW_PASSPHRASE:
        raise BadInput(f"a new keyring passphrase needs at least {MIN_NEW_PASSPHRASE} characters")


_default: SecretStore | None = None
_default_lock = threading.Lock()


def default_store() -> SecretStore:
    """The process's store: keyring's own choice, else the file, unlocked from a passphrase FD."""
    global _default
    with _default_lock:
        if _default is None:
            store = SecretStore.open()
            unlock_without_prompt(store)
            _default = store
        return _default


def unlock_without_prompt(store: SecretStore, env: Mapping[str, str] = os.environ) -> None:
    """Unlock from BGTUI_KEYRING_PASSPHRASE_FD when it is set; otherwise leave the store as is."""
    if store.locked and (passphrase := passphrase_from_fd(env)) is not None:
        store.unlock(passphrase)


def use_default_store(store: SecretStore | None) -> None:
    """Make `store` the process's store (the console once it is unlocked); None forgets it."""
    global _default
    with _default_lock:
        _default = store


def audit_signing_key(store: SecretStore | None = None) -> bytes | None:
    """The audit HMAC key from the keyring, or None when no usable unlocked keyring holds one."""
    try:
        chosen = default_store() if store is None else store
        stored = None if chosen.locked else chosen.get(AUDIT_KEY)
    except WrongPassphrase:
        raise
    except CredentialError:
        # Locked, or the system keyring failing at run time: the trail is still hash-chained.
        return None
    return None if stored is None else _decoded_key(stored)


def ensure_audit_signing_key(store: SecretStore) -> bytes:
    """The audit HMAC key, created (32 random bytes, stored as hex) when the keyring has none."""
    existing = audit_signing_key(store)
    if existing is not None:
        return existing
    store.set(AUDIT_KEY, secrets.token_bytes(AUDIT_KEY_BYTES).hex())
    # Re-read: when two processes create a key at once, both sign with the one that stayed.
    return _decoded_key(store.get(AUDIT_KEY) or "")


def _decoded_key(stored: str) -> bytes:
    try:
        key = bytes.fromhex(stored)
    except ValueError:
        key = b""
    if len(key) < AUDIT_KEY_BYTES:
        raise BadInput(
            f"the audit signing key in the keyring is not {AUDIT_KEY_BYTES * 2} hex digits:"
            f" delete it (bgtui secrets delete {AUDIT_KEY}) and run bgtui secrets init-audit-key"
        )
    return key
