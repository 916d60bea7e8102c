"""The logs of one version: its stream names, its events, error marks and the `--since` window."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bgtui.core.errors import BadInput, NotFound
from bgtui.core.models import Colour, ServiceState

MAX_SINCE = timedelta(days=30)
"""The longest window `--since` accepts: beyond it, reading history costs more than it helps."""
ERROR_SYMBOL = "✖"
TRACE_SYMBOL = "│"
_SINCE = re.compile(r"^\s*(\d{1,6})\s*([smhd])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_ERROR_WORDS = re.compile(
    r"\[ERROR\]|\bERROR\b|\bException\b|\bError:|Task timed out|Runtime exited|\bFATAL\b"
)
_TRACE_START = "Traceback (most recent call last):"


def log_group(function: str) -> str:
    """The log group Lambda writes a function's logs to."""
    return f"/aws/lambda/{function}"


def stream_prefix(day: datetime, version: str) -> str:
    """The prefix of every log stream of `version` started on `day` (UTC).

    Lambda names a stream `YYYY/MM/DD/[VERSION]<execution environment id>`: the AWS Lambda
    operator guide, "How CloudWatch structures logs" (docs.aws.amazon.com/lambda/latest/
    operatorguide/log-structure.html). Versions are numbers or `$LATEST`, so `[1]` never
    matches `[12]`.
    """
    return f"{as_utc(day):%Y/%m/%d}/[{version}]"


def days_between(start: datetime, end: datetime) -> list[datetime]:
    """Each UTC day from `start`'s to `end`'s, at midnight: one stream prefix each."""
    day = as_utc(start).replace(hour=0, minute=0, second=0, microsecond=0)
    last = as_utc(end)
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days


def next_midnight(at: datetime) -> datetime:
    """The next UTC midnight: a stream prefix holds the date, so a tail reopens there."""
    day = as_utc(at).replace(hour=0, minute=0, second=0, microsecond=0)
    return day + timedelta(days=1)


def as_utc(at: datetime) -> datetime:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)


def parse_since(text: str) -> timedelta:
    """`15m`, `2h`, `1d`, `30s` as a window; anything else is bad input (exit 2)."""
    match = _SINCE.match(text or "")
    if not match:
        raise BadInput(f"--since takes a number and s, m, h or d (like 15m or 2h), not {text!r}")
    window = timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    if not timedelta(0) < window <= MAX_SINCE:
        raise BadInput(f"--since must be more than 0 and at most 30d, not {text!r}")
    return window


class LineKind(StrEnum):
    """What a log line is to an operator looking for the cause of an alarm."""

    NORMAL = "normal"
    ERROR = "error"
    TRACE = "trace"
    """A line of a Python traceback, the `Traceback` header and the final exception included."""


@dataclass(frozen=True)
class LogEvent:
    """One event of a version's log stream, as CloudWatch Logs stored it."""

    timestamp: datetime
    stream: str
    message: str
    event_id: str = ""

    @property
    def version(self) -> str:
        """The version named in the stream (`2026/12/01/[7]abc` → `7`); "" when not Lambda's."""
        match = re.match(r"^\d{4}/\d{2}/\d{2}/\[([^\]]+)\]", self.stream)
        return match.group(1) if match else ""

    def to_json(self) -> dict[str, str]:
        return {
            "timestamp": as_utc(self.timestamp).isoformat(),
            "stream": self.stream,
            "version": self.version,
            "message": self.message,
        }


def is_error_line(line: str) -> bool:
    """A line that reports an error by Lambda's or Python's own words."""
    return bool(_ERROR_WORDS.search(line))


@dataclass(frozen=True)
class MarkedLine:
    """One line to show, with its kind and the symbol that marks it without colour."""

    kind: LineKind
    text: str

    @property
    def symbol(self) -> str:
        return {LineKind.ERROR: ERROR_SYMBOL, LineKind.TRACE: TRACE_SYMBOL}.get(self.kind, " ")

    @property
    def shown(self) -> str:
        """The line as text: `✖ ERROR` before an error, `│` before each traceback line."""
        if self.kind is LineKind.ERROR:
            return f"{ERROR_SYMBOL} ERROR {self.text}"
        return f"{self.symbol} {self.text}"


def mark_lines(lines: Iterable[str]) -> Iterator[MarkedLine]:
    """Each line marked: a traceback is grouped from its header to the exception that ends it."""
    in_trace = False
    for line in lines:
        if line.startswith(_TRACE_START):
            in_trace = True
            yield MarkedLine(LineKind.ERROR, line)
        elif in_trace and (line.startswith((" ", "\t")) or not line.strip()):
            yield MarkedLine(LineKind.TRACE, line)
        elif in_trace:
            # The unindented line after the frames names the exception: it ends the traceback.
            in_trace = False
            yield MarkedLine(LineKind.TRACE, line)
        else:
            yield MarkedLine(LineKind.ERROR if is_error_line(line) else LineKind.NORMAL, line)


def event_lines(events: Iterable[LogEvent]) -> Iterator[tuple[LogEvent, MarkedLine]]:
    """Every line of every event, marked; a traceback may span one event or several."""
    raw = ((event, line) for event in events for line in event.message.rstrip("\n").split("\n"))
    pairs = list(raw)
    marked = mark_lines(line for _, line in pairs)
    for (event, _), line in zip(pairs, marked, strict=True):
        yield event, line


def matches(event: LogEvent, text: str) -> bool:
    """The filter box and `--filter`: a case-insensitive substring of the message."""
    return not text or text.casefold() in event.message.casefold()


LOG_TARGETS = ("blue", "green", "live")
"""What `--colour` names: a colour, or whichever colour is live."""


def chosen_version(state: ServiceState, target: str) -> tuple[str, str]:
    """The alias and version whose logs to read: `blue`, `green` or `live` (the live colour)."""
    wanted = (target or "live").strip().lower()
    if wanted not in LOG_TARGETS:
        raise BadInput(f"--colour takes blue, green or live, not {target!r}")
    if wanted == "live":
        live = state.live_colour
        wanted = live.value if live is not None else "live"
    alias = state.live if wanted == "live" else state.colour_alias(Colour(wanted))
    if alias is None or not alias.version:
        raise NotFound(f"{state.ref.function} has no {wanted} alias to read the logs of")
    return wanted, alias.version
