"""The team's trail: the audit log group of every service (or one), read and merged."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bgtui.core.errors import BgtuiError, OperationFailed
from bgtui.core.shipped import ShippedLine
from bgtui.core.team_trail import TeamTrail, merge

if TYPE_CHECKING:
    from bgtui.app.backend import Backend


def audit_groups(backend: Backend, function: str = "") -> list[str]:
    """The audit log groups of the services read (the one named, else every discovered one)."""
    catalog = backend.catalog
    refs = [catalog.find(function)] if function else catalog.discover()
    groups = [ref.audit_log_group for ref in refs if ref.audit_log_group]
    if not groups:
        raise OperationFailed("no service here names an audit log group: nothing to read")
    return list(dict.fromkeys(groups))


def read_team_trail(
    backend: Backend, function: str = "", since: timedelta | None = None
) -> TeamTrail:
    """Every host's records of the services, merged oldest first, each host's chain checked.

    Only this host's chain has its HMAC signatures checked: another host's key is not here.
    """
    if backend.audit_source is None:
        raise OperationFailed("the team's trail cannot be read with this configuration")
    start = backend.clock() - since if since is not None else None
    lines: list[ShippedLine] = []
    for group in audit_groups(backend, function):
        lines += backend.audit_source.read(group, start)
    keys = {backend.audit_host: key} if (key := _local_key(backend)) else {}
    return merge(lines, keys)


def _local_key(backend: Backend) -> bytes | None:
    # A locked keyring does not stop reading: signatures are then reported as not checked.
    try:
        return backend.audit.signing_key
    except BgtuiError:
        return None
