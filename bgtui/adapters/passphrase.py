"""The encrypted keyring's passphrase outside the console: a file descriptor or a terminal prompt.

The passphrase itself never travels in an environment variable or an argument: only the number
of a descriptor to read it from (`BGTUI_KEYRING_PASSPHRASE_FD=3 bgtui ... 3<file`).
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Mapping, MutableMapping
from typing import TextIO

from bgtui.adapters.secrets import KeyringLocked, SecretStore
from bgtui.errors import BadInput

PASSPHRASE_FD_ENV = "BGTUI_KEYRING_PASSPHRASE_FD"
NO_PROMPT_ENV = "BGTUI_KEYRING_NO_PROMPT"
MAX_PASSPHRASE_BYTES = 4096

Ask = Callable[[str], str]


def forbid_terminal_prompts(env: MutableMapping[str, str] = os.environ) -> None:
    """Keep child processes (an SDK's credential_process) from prompting on the console's tty."""
    env[NO_PROMPT_ENV] = "1"


def passphrase_from_fd(env: Mapping[str, str] = os.environ) -> str | None:
    """The passphrase read (and the descriptor closed) from BGTUI_KEYRING_PASSPHRASE_FD, if set."""
    number = env.get(PASSPHRASE_FD_ENV, "").strip()
    if not number:
        return None
    if not number.isdigit() or int(number) < 3:
        raise BadInput(
            f"{PASSPHRASE_FD_ENV} must name a descriptor of 3 or more opened for reading (3<file),"
            f" not {number!r}"
        )
    try:
        with os.fdopen(int(number), "rb") as stream:
            raw = stream.read(MAX_PASSPHRASE_BYTES + 1)
    except OSError:
        raise BadInput(
            f"{PASSPHRASE_FD_ENV}={number}: descriptor is not open for reading"
        ) from None
    return _decoded(raw)


def _decoded(raw: bytes) -> str:
    if len(raw) > MAX_PASSPHRASE_BYTES:
        raise BadInput(f"the keyring passphrase is longer than {MAX_PASSPHRASE_BYTES} bytes")
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        raise BadInput("the keyring passphrase is not UTF-8 text") from None
    return text.removesuffix("\n").removesuffix("\r")


def unlock_without_prompt(store: SecretStore, env: Mapping[str, str] = os.environ) -> None:
    """Unlock from BGTUI_KEYRING_PASSPHRASE_FD when it is set; otherwise leave the store as is."""
    if store.locked and (passphrase := passphrase_from_fd(env)) is not None:
        store.unlock(passphrase)


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
