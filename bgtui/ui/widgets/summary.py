"""The selected service at a glance: which colour is live, what each stage points at, alarms."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from bgtui.core.metrics import HealthWindow
from bgtui.core.models import Colour, ServiceState
from bgtui.errors import BgtuiError
from bgtui.ui.health_view import latest_complete, series
from bgtui.ui.labels import alarm_line, colour_label, previous_text, stage_text
from bgtui.ui.spark import format_value


def summary_text(state: ServiceState, window: HealthWindow | None) -> Text:
    ref = state.ref
    where = "PRODUCTION" if ref.production else "non-production"
    env = f" · {ref.environment}" if ref.environment else ""
    text = Text.assemble((ref.display_name, "bold"), f" · {where}{env}\n")
    live = state.live_colour
    for colour in [live, live.other] if live else list(Colour):
        style = "bold reverse" if colour is live else ""
        text.append(f" {colour_label(state, colour)} ", style=style)
        text.append(" ")
    text.append(previous_text(state) + "\n", style="dim")
    for stage in (ref.prod_stage, ref.test_stage):
        text.append(stage_text(state, stage) + _stage_health(window, stage) + "\n")
    text.append("live alarms: ")
    text.append_text(alarm_line(state.alarms_for("live"), state.alarms_unreadable))
    for problem in state.problems:
        text.append(f"\n⚠ PROBLEM: {problem}", style="bold")
    return text


def _stage_health(window: HealthWindow | None, stage: str) -> str:
    if window is None or not window.group(f"stage:{stage}").series:
        return ""
    incomplete = window.incomplete
    rate = latest_complete(series(window, f"stage:{stage}", "e5xx_rate"), incomplete)
    p99 = latest_complete(series(window, f"stage:{stage}", "p99"), incomplete)
    return f" · 5xx {format_value('error_rate', rate)} · p99 {format_value('p99', p99)}"


class ServiceSummary(Static):
    """Renders one service's state, or why it could not be read; unchanged text is not redrawn."""

    shown: Text | None = None

    def _show(self, text: Text) -> None:
        if text != self.shown:
            self.shown = text
            self.update(text)

    def show(self, state: ServiceState | None, window: HealthWindow | None, function: str) -> None:
        if state is None:
            waiting = f"reading {function}…" if function else "no service selected"
            self._show(Text(waiting, style="dim"))
            return
        self._show(summary_text(state, window))

    def show_error(self, function: str, error: BgtuiError) -> None:
        self._show(Text.assemble((function, "bold"), f"\n✖ cannot read: {error.title}: {error}"))
