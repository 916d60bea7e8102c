"""CloudWatch Logs through boto3: every host's audit lines read back from a service's audit group.

FilterLogEvents over the whole group (every host's stream), page by page through
`nextToken`; a page may be empty while more follow (the FilterLogEvents API reference).
Reading needs logs:FilterLogEvents on the group.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.shipped import ShippedLine

if TYPE_CHECKING:
    from mypy_boto3_logs.type_defs import FilterLogEventsRequestTypeDef

MAX_PAGES = 200
"""Pages read per group at most: 200 pages of up to 10,000 events each."""


class CloudWatchAuditSource:
    """AuditSourcePort over FilterLogEvents."""

    def __init__(self, context: AwsContext) -> None:
        self._aws = context

    def read(self, log_group: str, start: datetime | None = None) -> list[ShippedLine]:
        """Every line of the group from `start` on (all of it without), in the order read."""
        logs = self._aws.client("logs")
        request: FilterLogEventsRequestTypeDef = {"logGroupName": log_group}
        if start is not None:
            request["startTime"] = int(start.timestamp() * 1000)
        lines: list[ShippedLine] = []
        with aws_errors("read audit events of", log_group, service="logs"):
            for _ in range(MAX_PAGES):
                page = logs.filter_log_events(**request)
                lines += [_line(log_group, event) for event in page.get("events", [])]
                token = page.get("nextToken")
                if not token or token == request.get("nextToken"):
                    break
                request["nextToken"] = token
        return lines


def _line(log_group: str, event: Any) -> ShippedLine:
    stream = str(event.get("logStreamName", ""))
    return ShippedLine(log_group, stream, str(event.get("message", "")))
