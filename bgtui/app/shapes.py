"""The JSON documents bgtui prints (`--json`) and hands to other front ends, built in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bgtui.core.audit import VerifyReport
from bgtui.core.audit_record import AuditRecord
from bgtui.core.catalog import guarded_by_aws
from bgtui.core.errors import BgtuiError
from bgtui.core.logs import LogEvent
from bgtui.core.models import AliasState, Colour, ServiceState
from bgtui.core.operations import SmokeReport
from bgtui.core.team_trail import TeamTrail
from bgtui.core.watch import parse_utc


def _version(alias: AliasState | None) -> str | None:
    return alias.version if alias else None


def _idle_alias_name(state: ServiceState) -> str | None:
    idle = state.idle_colour
    return state.ref.alias_name(idle) if idle else None


def routing_document(state: ServiceState) -> dict[str, Any]:
    """What each stage's integrations invoke, and the stages that do not route as mapped."""
    return {
        "stage_variable": state.ref.stage_variable or None,
        "routes": [
            {
                "stage": r.stage,
                "method": r.method,
                "kind": r.kind,
                "target": r.target,
                "serves": r.serves,
            }
            for r in state.routes
        ],
        "problems": list(state.routing_problems),
        "unreadable": state.routing_unreadable or None,
    }


def service_document(state: ServiceState) -> dict[str, Any]:
    """One service as `status --json` prints it (the documented fields first); each role also
    carries the real name of the alias that plays it."""
    live_colour = state.live_colour
    previous = state.previous
    ref = state.ref
    return {
        "function": state.ref.function,
        "name": state.ref.display_name,
        "region": state.ref.region,
        "live": {
            "colour": live_colour.value if live_colour else None,
            "version": _version(state.live),
            "alias": ref.live_alias,
        },
        "blue": {"version": _version(state.blue), "alias": ref.alias_name(Colour.BLUE)},
        "green": {"version": _version(state.green), "alias": ref.alias_name(Colour.GREEN)},
        "previous": (
            {"colour": previous.colour.value, "version": previous.version} if previous else None
        ),
        "stages": {
            "prod": state.stage_alias(state.ref.prod_stage),
            "test": state.stage_alias(state.ref.test_stage),
        },
        "alarms": [
            {"name": a.name, "state": a.state, "scope": a.scope, "metric": a.metric}
            for a in state.alarms
        ],
        "alarms_unreadable": state.alarms_unreadable or None,
        "idle": {
            "colour": state.idle_colour.value if state.idle_colour else None,
            "alias": _idle_alias_name(state),
            "version": _version(state.idle_alias),
        },
        "layout": "two-alias" if ref.two_alias else "blue-green",
        "routing": routing_document(state),
        "environment": state.ref.environment,
        "guarded_by_aws": guarded_by_aws(state.ref),
        "problems": list(state.problems),
        "watch": _watch(state),
        "read_at": state.read_at,
    }


def _watch(state: ServiceState) -> dict[str, Any] | None:
    """The watch window the last promote opened, and whether it was still open at the read."""
    record = state.record
    if record is None or not record.watch_until:
        return None
    until, read = parse_utc(record.watch_until), parse_utc(state.read_at)
    still_open = until is not None and read is not None and read < until
    return {"since": record.changed_at or None, "until": record.watch_until, "open": still_open}


def status_document(states: Sequence[ServiceState | BgtuiError]) -> dict[str, Any]:
    """`status --json`: every service read, and what could not be read."""
    services = [service_document(s) for s in states if isinstance(s, ServiceState)]
    errors = [{"error": e.title, "message": str(e)} for e in states if isinstance(e, BgtuiError)]
    doc: dict[str, Any] = {"services": services}
    if errors:
        doc["errors"] = errors
    return doc


def smoke_document(report: SmokeReport) -> dict[str, Any]:
    """`test --json`: one smoke run against the idle colour."""
    return {
        "function": report.state.ref.function,
        "colour": report.colour.value,
        "version": report.version,
        "passed": report.passed,
        "results": [r.as_dict() for r in report.results],
        "warnings": list(report.warnings),
    }


def verify_document(report: VerifyReport) -> dict[str, Any]:
    """`audit --verify --json`: whether the chain holds, and where it does not."""
    return {"ok": report.ok, "records": report.records, "problems": list(report.problems)}


def audit_document(records: Sequence[AuditRecord]) -> list[dict[str, Any]]:
    """`audit --json`: the records as written, oldest first."""
    return [record.to_json() for record in records]


def log_event_document(event: LogEvent, colour: str) -> dict[str, str]:
    """`logs --json`: one event a line, with the colour whose version wrote it."""
    return {**event.to_json(), "colour": colour}


def team_document(trail: TeamTrail) -> dict[str, Any]:
    """`audit --team --json`: every host's chain as checked, and the records oldest first."""
    return {
        "ok": trail.ok,
        "summary": trail.summary(),
        "problems": list(trail.problems),
        "chains": [
            {
                "host": chain.host,
                "records": chain.records,
                "signed": chain.signed,
                "signatures_checked": chain.signatures_checked,
                "ok": chain.ok,
                "problems": list(chain.problems),
                "gaps": list(chain.gaps),
            }
            for chain in trail.chains
        ],
        "records": [{"host": r.host, **r.record.to_json()} for r in trail.records],
    }
