"""Several regions of one context (active/active): each region read with clients of its own."""

from __future__ import annotations

from bgtui.app.regional import further_backends
from bgtui.app.service import ReleaseService, StatusProgress, StatusReport


def regional_services(first: ReleaseService) -> list[ReleaseService]:
    """`first`, then one service per further region the context lists, same audit key."""
    return [first, *(ReleaseService(backend) for backend in further_backends(first.backend))]


def status_in_regions(
    services: list[ReleaseService], function: str = "", progress: StatusProgress | None = None
) -> StatusReport:
    """Every region's status, region after region; a named service unreadable anywhere raises."""
    reports = [service.status(function, progress) for service in services]
    read = tuple(s for report in reports for s in report.read)
    settled = tuple(r for report in reports for r in report.settled)
    return StatusReport(read, settled)
