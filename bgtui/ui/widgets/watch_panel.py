"""The selected service's watch window: countdown, thresholds and each minute's verdict."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.widgets import Static

from bgtui.core.catalog import guarded_by_aws
from bgtui.core.models import ServiceState
from bgtui.core.watch import Status, Verdict, WatchReport, WatchWindow, parse_utc

MINUTES_SHOWN = 5
VERDICT_STYLES = {
    Verdict.HEALTHY: "",
    Verdict.BREACHING: "bold reverse",
    Verdict.THIN: "dim",
    Verdict.WAITING: "dim italic",
    Verdict.NO_DATA: "dim",
}


def countdown(left: timedelta) -> str:
    """`6m 12s`: whole seconds, never negative."""
    seconds = max(int(left.total_seconds()), 0)
    return f"{seconds // 60}m {seconds % 60:02d}s"


def row_countdown(state: ServiceState) -> str:
    """`watch 9m` (this console only) or `guarded 9m` (a guard in AWS too) for the services
    list while a window is open at the time the state was read."""
    record, read_at = state.record, parse_utc(state.read_at)
    until = parse_utc(record.watch_until) if record else None
    if until is None or read_at is None or until <= read_at:
        return ""
    seconds = int((until - read_at).total_seconds())
    word = "guarded" if guarded_by_aws(state.ref) else "watch"
    return f"{word} {-(-seconds // 60)}m"


def guard_line(window: WatchWindow, guarded: bool) -> str:
    """Who rolls back while the window is open: said in words, since colour alone is lost."""
    until = f"{window.until:%H:%M}Z"
    if guarded:
        return f"guarded by AWS until {until}: its guard rolls back if this console closes"
    return f"watched by this console only · until {until}: closing it ends the watch"


def watch_text(
    window: WatchWindow, report: WatchReport, now: datetime, guarded: bool = False
) -> Text:
    """Header (countdown, who guards, thresholds), then the newest minutes, one line each."""
    if report.status is Status.WATCHING and window.open_at(now):
        head = f"WATCH {countdown(report.remaining(now))} left (until {window.until:%H:%M}Z)"
    elif report.status is Status.WATCHING:
        head = f"WATCH over at {window.until:%H:%M}Z: waiting for its last minutes' data"
    else:
        head = f"WATCH {report.summary}"
    text = Text(head, style="bold")
    if report.status is Status.WATCHING and window.open_at(now):
        text.append(f"\n  {guard_line(window, guarded)}", style="bold" if guarded else "")
    text.append(f"\n  rolls back on {window.thresholds.describe()}", style="dim")
    for minute in report.minutes[-MINUTES_SHOWN:]:
        text.append("\n  ")
        text.append(minute.line(), style=VERDICT_STYLES[minute.verdict])
    if not report.minutes:
        text.append("\n  waiting for data: Lambda's minutes land 1 to 3 minutes late", style="dim")
    return text


class WatchPanel(Static):
    """Hidden unless the selected service has a watch window recorded."""

    DEFAULT_CSS = """
    WatchPanel { display: none; height: auto; padding: 0 0 1 0; }
    WatchPanel.-open { display: block; }
    """

    shown: Text | None = None

    def show(
        self,
        window: WatchWindow | None,
        report: WatchReport | None,
        now: datetime,
        guarded: bool = False,
    ) -> None:
        text = watch_text(window, report, now, guarded) if window and report else None
        self.set_class(text is not None, "-open")
        if text is not None and text != self.shown:
            self.shown = text
            self.update(text)
