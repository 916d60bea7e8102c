"""The audit trail's signing key for writing: never silently missing while its keyring is locked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bgtui.adapters.keyring.names import AUDIT_KEY, KeyringLocked

if TYPE_CHECKING:
    from bgtui.adapters.keyring.secrets import SecretStore

Unlock = Callable[["SecretStore"], None]


class AuditKey:
    """A key source for `AuditTrail(signing_key=…)`; every call may block (keyring, Argon2).

    None when no signing key is configured. While the encrypted keyring that holds the key is
    locked, the key is neither None nor guessed: `unlock_locked` gets a chance to open the
    keyring (the CLI asks on its terminal), else KeyringLocked is raised and the record is not
    written; an unsigned record in a signed trail would pass for a forgery.
    """

    def __init__(
        self,
        open_store: Callable[[], SecretStore] | None = None,
        unlock_locked: Unlock | None = None,
    ) -> None:
        # The keyring library is loaded at the first use of the key, not with the console.
        self._open_store = open_store or _default_store
        self._unlock_locked = unlock_locked

    def __call__(self) -> bytes | None:
        store = self._open_store()
        if self._holds_locked_key(store) and self._unlock_locked is not None:
            self._unlock_locked(store)
        if self._holds_locked_key(store):
            raise KeyringLocked(
                f"the audit signing key is in the {store.description}, which is locked:"
                " unlock it before a change (nothing was written or changed)"
            )
        from bgtui.adapters.keyring.secrets import audit_signing_key

        return audit_signing_key(store)

    def locked_location(self) -> str:
        """Which keyring must be unlocked before records can be signed; '' when none must."""
        store = self._open_store()
        return store.description if self._holds_locked_key(store) else ""

    def unlock(self, passphrase: str) -> None:
        """Open the keyring that holds the key (WrongPassphrase when it does not open it)."""
        self._open_store().unlock(passphrase)

    @staticmethod
    def _holds_locked_key(store: SecretStore) -> bool:
        return store.locked and store.has(AUDIT_KEY)


def _default_store() -> SecretStore:
    from bgtui.adapters.keyring.secrets import default_store

    return default_store()
