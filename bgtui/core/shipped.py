"""One audit line as a log group holds it: the group, the stream and the line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShippedLine:
    """One event of an audit log group: the stream it is in and the line it carries."""

    log_group: str
    stream: str
    message: str
