"""The selected service at a glance: whose it is, what each stage points at, where rollback goes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from bgtui.core.errors import BgtuiError
from bgtui.core.metrics import HealthWindow
from bgtui.core.models import ServiceState
from bgtui.core.plain_text import printable
from bgtui.ui.approval_view import summary_rows
from bgtui.ui.health_view import latest_complete, series
from bgtui.ui.labels import previous_text, stage_text
from bgtui.ui.spark import format_value, full_scale, spark_text

STAGE_LABEL_WIDTH = 23
STAGE_SPARK_WIDTH = 12


def heading(state: ServiceState | None, function: str) -> Text:
    """`Payments API · payments-api · non-production · demo`: every row below is about it."""
    if state is None:
        return Text(f" {printable(function, limit=60) or 'no service selected'} ", style="bold")
    ref = state.ref
    where = "PRODUCTION" if ref.production else "non-production"
    parts = [ref.function, where] + ([ref.environment] if ref.environment else [])
    if ref.display_name != ref.function:
        parts.insert(0, ref.display_name)
    return Text(f" {printable(' · '.join(parts), limit=90)} ", style="bold")


def summary_text(state: ServiceState) -> Text:
    """One row per stage pointer, one for the rollback target, one per problem."""
    stages = (state.ref.prod_stage, state.ref.test_stage)
    rows = [Text(stage_text(state, stage)) for stage in stages]
    rows.append(Text(previous_text(state), style="dim"))
    rows += summary_rows(state)
    rows += [Text(f"⚠ PROBLEM: {printable(p)}", style="bold") for p in state.problems]
    for problem in state.routing_problems:
        # Two lines, so the consequence after the colon still shows at 80 columns.
        where, _, why = printable(problem).partition(": ")
        rows.append(Text(f"⚠ ROUTING: {where}" + (":" if why else ""), style="bold"))
        rows += [Text(f"  {why}", style="bold")] if why else []
    if state.routing_unreadable:
        reason = printable(state.routing_unreadable)
        rows.append(Text(f"⚠ stage integrations unreadable: {reason}", style="dim"))
    if state.alarms_unreadable:
        reason = printable(state.alarms_unreadable)
        rows.append(Text(f"⚠ alarms unreadable: {reason}", style="bold"))
    return Text("\n").join(rows)


def stage_health_text(state: ServiceState | None, window: HealthWindow | None) -> Text:
    """API Gateway's own figures per stage: every request, whichever colour answered it."""
    if state is None:
        return Text()
    rows = []
    for stage in (state.ref.prod_stage, state.ref.test_stage):
        # The stage's figures mix whichever colours answered in the window: never a colour's.
        label = f"API {printable(stage, limit=8)} (any colour)"
        row = Text(label.ljust(STAGE_LABEL_WIDTH), style="bold")
        row.append_text(_stage_figures(window, stage))
        rows.append(row)
    return Text("\n").join(rows)


def _stage_figures(window: HealthWindow | None, stage: str) -> Text:
    group = f"stage:{stage}"
    if window is None or not window.group(group).series:
        return Text("no API Gateway data", style="dim")
    text = Text()
    for label, metric, kind in (("5xx", "e5xx_rate", "error_rate"), ("p99", "p99", "p99")):
        values = series(window, group, metric)
        top = full_scale(kind, values)
        text.append(f"{label} ", style="dim")
        text.append_text(spark_text(values, window.incomplete, STAGE_SPARK_WIDTH, top))
        reading = format_value(kind, latest_complete(values, window.incomplete))
        text.append(f" {reading.rjust(5)}   ")
    return text


class ServiceSummary(Static):
    """One service's pointers, or why it could not be read; unchanged text is not redrawn."""

    shown: Text | None = None

    def _show(self, title: Text, text: Text) -> None:
        if self.border_title != title.markup:
            self.border_title = title
        if text != self.shown:
            self.shown = text
            self.update(text)

    def show(self, state: ServiceState | None, function: str) -> None:
        if state is None:
            waiting = f"reading {printable(function)}…" if function else "no service selected"
            self._show(heading(None, function), Text(waiting, style="dim"))
            return
        self._show(heading(state, function), summary_text(state))

    def show_error(self, function: str, error: BgtuiError) -> None:
        why = printable(f"{error.title}: {error}")
        self._show(heading(None, function), Text(f"✖ cannot read: {why}"))


class StageHealth(Static):
    """The stages' own error rate and p99, kept apart from either colour's figures."""

    shown: Text | None = None

    def show(self, state: ServiceState | None, window: HealthWindow | None) -> None:
        text = stage_health_text(state, window)
        if text != self.shown:
            self.shown = text
            self.update(text)
