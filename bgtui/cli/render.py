"""Plain-text renderings of states, changes and results for the headless commands.

Text read from AWS, terraform or the audit trail goes through `printable`: the terminal is
given characters to show, never escape sequences to obey.
"""

from __future__ import annotations

from collections.abc import Sequence

from bgtui.core.audit_record import AuditRecord
from bgtui.core.catalog import guarded_by_aws
from bgtui.core.change import Change, OperationResult
from bgtui.core.endpoint import account_label
from bgtui.core.errors import BgtuiError
from bgtui.core.models import AliasState, ServiceState
from bgtui.core.operations import SmokeReport
from bgtui.core.plain_text import printable
from bgtui.core.team_trail import TeamTrail

STATUS_COLUMNS = ("SERVICE", "LIVE", "BLUE", "GREEN", "PREVIOUS", "PROD", "TEST", "ALARMS")
SETTLED = {
    True: "re-read, it did take effect",
    False: "re-read, it did not take effect",
    None: "the state read now cannot tell",
}
"""How a reconciled operation ended, by the `applied` of its reconcile record."""


def _version(alias: AliasState | None) -> str | None:
    return alias.version if alias else None


def _alarm_cell(state: ServiceState) -> str:
    if state.alarms_unreadable:
        return "unreadable"
    firing = [a.name.removeprefix(state.ref.alarms_prefix) for a in state.alarms if a.firing]
    if firing:
        return "ALARM " + ",".join(firing)
    return "OK" if state.alarms else "-"


def _status_row(state: ServiceState) -> tuple[str, ...]:
    colour, previous = state.live_colour, state.previous
    live = f"{colour.symbol} {colour.value} v{_version(state.live)}" if colour else "? unknown"
    if colour and state.ref.two_alias:
        live = f"{state.ref.live_alias} v{_version(state.live)}"
    return (
        state.ref.display_name,
        live,
        f"v{_version(state.blue)}" if state.blue else "missing",
        f"v{_version(state.green)}" if state.green else "missing",
        f"{previous.colour.value} v{previous.version}" if previous else "-",
        state.stage_alias(state.ref.prod_stage) or "-",
        state.stage_alias(state.ref.test_stage) or "-",
        _alarm_cell(state),
    )


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    shown = [[printable(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in shown) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in shown
    ]
    return "\n".join(lines) + "\n"


def _lines(lines: Sequence[str]) -> str:
    # Each line made printable on its own: a newline inside a field cannot forge a line.
    return "".join(printable(line) + "\n" for line in lines)


def status_table(states: Sequence[ServiceState | BgtuiError], by_region: bool = False) -> str:
    """`by_region`: a REGION column, for a context that reads several regions (active/active)."""
    rows: list[tuple[str, ...]] = [_status_row(s) for s in states if isinstance(s, ServiceState)]
    header: tuple[str, ...] = STATUS_COLUMNS
    if by_region:
        header = ("REGION", *STATUS_COLUMNS)
        rows = [(s.ref.region, *row) for s, row in zip(_read(states), rows, strict=True)]
    text = table(header, rows) if rows else "no blue/green services found\n"
    notes = []
    for state in states:
        if isinstance(state, BgtuiError):
            notes.append(f"! {state.title}: {state}")
            continue
        if state.problems:
            notes.append(f"! {state.ref.function}: {'; '.join(state.problems)}")
        if state.alarms_unreadable:
            notes.append(f"! {state.ref.function}: alarms unreadable: {state.alarms_unreadable}")
        notes += [f"! {state.ref.function}: {p}" for p in state.routing_problems]
        if state.routing_unreadable:
            why = state.routing_unreadable
            notes.append(f"! {state.ref.function}: stage integrations unreadable: {why}")
        if guarded_by_aws(state.ref):
            notes.append(f"  {state.ref.function}: guarded by AWS during a watch window")
    return text + (_lines(notes) if notes else "")


def _read(states: Sequence[ServiceState | BgtuiError]) -> list[ServiceState]:
    return [s for s in states if isinstance(s, ServiceState)]


def change_text(change: Change) -> str:
    lines = [f"{change.action.value} {change.function} ({change.state.ref.region})"]
    for what, before, after in change.before_after():
        lines.append(f"  {what}: {before} → {after}")
    if change.gates:
        lines.append("gates:")
    for gate in change.gates:
        lines.append(f"  {gate.verdict:<10} {gate.name:<15} {gate.detail}")
        if gate.override_reason:
            lines.append(f"  {'':<10} {'':<15} override: {gate.override_reason}")
    return _lines(lines)


def result_text(result: OperationResult) -> str:
    lines = [f"{result.outcome.value}: {result.message}"]
    lines += [f"warning: {w}" for w in result.warnings]
    return _lines(lines)


def smoke_text(report: SmokeReport) -> str:
    ref = report.state.ref
    tested = f"candidate {ref.alias_name(report.colour)}" if ref.two_alias else report.colour.value
    head = f"smoke test of {ref.function} {tested} v{report.version}"
    lines = [
        head,
        f"  {'RESULT':<7}  {'KIND':<6}  {'CHECK':<16} {'ANSWERED':<8} {'MS':>7}     DETAIL",
    ]
    for result in report.results:
        lines.append(
            f"  {result.verdict:<7}  {result.kind:<6}  {result.name:<16} "
            f"{result.answered_by:<8} {result.duration_ms:7.1f} ms  {result.detail}"
        )
    lines.append(("PASSED: " if report.passed else "FAILED: ") + report.summary)
    lines += [f"warning: {w}" for w in report.warnings]
    return _lines(lines)


def audit_table(records: Sequence[AuditRecord]) -> str:
    header = ("SEQ", "TIME", "ACCOUNT", "ACTOR", "ACTION", "PHASE", "FUNCTION", "OUTCOME", "REASON")
    rows = [
        (
            str(r.seq or ""),
            r.time[:19],
            account_label(r),
            r.actor.local,
            r.action,
            r.phase,
            r.function,
            r.outcome or "-",
            r.reason[:40],
        )
        for r in records
    ]
    return table(header, rows) if rows else "the audit trail is empty\n"


def team_table(trail: TeamTrail) -> str:
    """Each host's chain as checked, then every record oldest first with the host that wrote it."""
    chains = "".join(f"{printable(chain.summary())}\n" for chain in trail.chains)
    chains += "".join(f"{printable(problem)}\n" for problem in trail.problems)
    header = ("HOST", "SEQ", "TIME", "ACTOR", "ACTION", "PHASE", "FUNCTION", "OUTCOME", "REASON")
    rows = [
        (
            t.host,
            str(t.record.seq),
            t.record.time[:19],
            t.record.actor.local,
            t.record.action,
            t.record.phase,
            t.record.function,
            t.record.outcome or "-",
            t.record.reason[:40],
        )
        for t in trail.records
    ]
    body = table(header, rows) if rows else "no records in the audit log groups read\n"
    return f"{chains}{body}{printable(trail.summary())}\n"
