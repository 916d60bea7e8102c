"""FilterLogEvents honours `logStreamNamePrefix`, which moto ignores (it searches every stream)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.logs.exceptions import InvalidParameterException
from moto.logs.responses import LogsResponse


def _with_prefix(original: Callable[[LogsResponse], str]) -> Callable[[LogsResponse], str]:
    def filter_log_events(self: LogsResponse) -> str:
        prefix = self._get_param("logStreamNamePrefix")
        if not prefix:
            return original(self)
        if self._get_param("logStreamNames"):
            # As AWS: "you cannot specify both LogStreamNames and LogStreamNamePrefix".
            raise InvalidParameterException(
                msg="logStreamNames and logStreamNamePrefix cannot both be specified"
            )
        group_name = self._get_param("logGroupName")
        group: Any = self.logs_backend.groups.get(group_name)
        if group is None:
            return original(self)
        names = [name for name in group.streams if name.startswith(prefix)]
        if not names:
            return json.dumps({"events": [], "searchedLogStreams": []})
        events, next_token, searched = self.logs_backend.filter_log_events(
            group_name,
            names,
            self._get_param("startTime"),
            self._get_param("endTime"),
            self._get_param("limit"),
            self._get_param("nextToken"),
            self._get_param("filterPattern"),
            self._get_param("interleaved", False),
        )
        return json.dumps(
            {"events": events, "nextToken": next_token, "searchedLogStreams": searched}
        )

    return filter_log_events


def apply() -> None:
    target: Any = LogsResponse
    target.filter_log_events = _with_prefix(target.filter_log_events)
