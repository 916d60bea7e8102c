"""The stable id of one audit trail, kept beside its file, naming its CloudWatch Logs streams."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from pathlib import Path

from bgtui.core.errors import BadInput

VALID = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""A stream name part: no `/` (it separates host, trail and day) and no `:` or `*` (CloudWatch)."""


def id_path(audit_path: Path) -> Path:
    """`audit.jsonl` keeps its id in `audit.trail-id`, in the same state directory."""
    return audit_path.with_suffix(".trail-id")


def trail_id(audit_path: Path) -> str:
    """The trail's id: read, or made once (eight random hex digits) and kept.

    Two state directories on one host (two operators, two XDG_STATE_HOMEs) each hold their
    own chain, so each ships to streams of its own and the team's trail checks each apart.
    """
    path = id_path(audit_path)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    except OSError:
        return _derived(audit_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _create(path)
    except FileExistsError:
        return _read(path)  # another process made it first: its id is the trail's
    except OSError:
        return _derived(audit_path)


def _derived(audit_path: Path) -> str:
    # A state directory that cannot be written keeps no trail to ship; stay stable per path.
    return hashlib.sha256(str(audit_path.resolve()).encode()).hexdigest()[:8]


EMPTY_WAIT_S = 1.0
"""How long an empty id file is read again: another process may have made it and not yet
written it (one that cannot link files into place, below, makes it empty first)."""


def _read(path: Path) -> str:
    deadline = time.monotonic() + EMPTY_WAIT_S
    text = path.read_text(encoding="ascii", errors="replace").strip()
    while not text and time.monotonic() < deadline:
        time.sleep(0.02)
        text = path.read_text(encoding="ascii", errors="replace").strip()
    if not text:
        raise BadInput(f"{path} is empty: remove it and bgtui makes the audit trail a new id")
    if not VALID.fullmatch(text):
        raise BadInput(f"{path} must hold letters, digits, - or _ only (the audit trail's id)")
    return text


def _create(path: Path) -> str:
    """Write the id beside `path`, then link it into place: the id file never exists without
    its id, and a link never replaces another process's file (FileExistsError instead)."""
    made = secrets.token_hex(4)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{made}")
    draft.write_text(made + "\n", encoding="ascii")
    try:
        os.link(draft, path)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: made empty, then written (readers wait for it).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(made + "\n")
    finally:
        draft.unlink(missing_ok=True)
    return made
