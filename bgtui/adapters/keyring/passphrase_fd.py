"""The keyring passphrase read from a descriptor named in BGTUI_KEYRING_PASSPHRASE_FD.

The passphrase itself never travels in an environment variable or an argument: only the number
of a descriptor to read it from (`BGTUI_KEYRING_PASSPHRASE_FD=3 bgtui ... 3<file`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from bgtui.core.errors import BadInput

PASSPHRASE_FD_ENV = "BGTUI_KEYRING_PASSPHRASE_FD"
MAX_PASSPHRASE_BYTES = 4096


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
