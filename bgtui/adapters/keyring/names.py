"""The keyring's entry names and errors, importable without loading a keyring library."""

from __future__ import annotations

from bgtui.core.errors import CredentialError

SERVICE = "bgtui"
AUDIT_KEY = "audit-hmac-key"
MIN_NEW_PASSPHRASE = 8


class KeyringLocked(CredentialError):
    """The encrypted keyring file needs its passphrase before it can be read or written."""

    title = "Keyring locked"


class WrongPassphrase(CredentialError):
    """The passphrase does not open the encrypted keyring file."""

    title = "Wrong passphrase"
