"""Secrets through keyring: the audit signing key; never a plaintext backend."""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError

SERVICE = "bgtui"
AUDIT_KEY = "audit-hmac-key"


def audit_signing_key() -> bytes | None:
    """The audit HMAC key from the keyring, or None when no usable keyring holds one."""
    try:
        secret = keyring.get_password(SERVICE, AUDIT_KEY)
    except (KeyringError, RuntimeError, OSError):
        return None
    return secret.encode() if secret else None
