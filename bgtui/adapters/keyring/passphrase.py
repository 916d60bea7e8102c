"""The encrypted keyring's passphrase outside the console: a file descriptor or a terminal prompt.

The passphrase itself never travels in an environment variable or an argument: only the number
of a descriptor to read it from (`BGTUI_KEYRING_PASSPHRASE_FD=3 bgtui ... 3<file`).
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from bgtui.adapters.keyring.names import KeyringLocked
from bgtui.adapters.keyring.passphrase_fd import PASSPHRASE_FD_ENV
from bgtui.adapters.keyring.secrets import SecretStore, unlock_without_prompt
from bgtui.core.errors import BadInput

NO_PROMPT_ENV = "BGTUI_KEYRING_NO_PROMPT"

Ask = Callable[[str], str]


def unlock_for_command(
    store: SecretStore,
    env: Mapping[str, str] = os.environ,
    stdin: TextIO | None = None,
    ask: Ask = getpass.getpass,
) -> None:
    """Unlock from the descriptor, else by asking on a terminal; KeyringLocked if neither works."""
    unlock_without_prompt(store, env)
    if not store.locked:
        return
    if env.get(NO_PROMPT_ENV) or not (stdin or sys.stdin).isatty():
        raise KeyringLocked(
            f"the {store.description} is locked: type its passphrase on a terminal,"
            f" or pass a descriptor to read it from in {PASSPHRASE_FD_ENV} (3<file)"
        )
    store.unlock(_asked(store, ask))


def _asked(store: SecretStore, ask: Ask) -> str:
    if store.initialised:
        return ask(f"Passphrase for the {store.description}: ")
    first = ask(f"New passphrase for the {store.description}: ")
    if ask("Repeat the new passphrase: ") != first:
        raise BadInput("the two passphrases differ; the keyring was not created")
    return first
