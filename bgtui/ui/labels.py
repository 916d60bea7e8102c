"""Words and glyphs for service states, so every state reads without colour."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from bgtui.core.models import AlarmState, Colour, ServiceState
from bgtui.core.plain_text import printable

ALARM_WORDS = {"OK": "OK", "ALARM": "ALARM", "INSUFFICIENT_DATA": "NO DATA"}
ALARM_ORDER = ("errors", "p99")
"""Every panel lists a scope's alarms in this order, whatever order CloudWatch answered in."""
HEALTH_GLYPHS = {
    "ok": "✔",
    "alarm": "✖",
    "idle-alarm": "!",
    "problem": "⚠",
    "no-data": "?",
    "unreadable": "✖",
}


def colour_label(state: ServiceState, colour: Colour) -> str:
    """`LIVE ◆ blue v7` or `idle ● green v8`: the role in words, the colour as a glyph; in the
    two-alias layout the role and the alias's real name, `LIVE prod v7` or `candidate test v8`."""
    alias = state.colour_alias(colour)
    version = f"v{alias.version}" if alias else "missing"
    role = "LIVE" if state.live_colour is colour else "idle"
    if state.ref.two_alias:
        role = "LIVE" if colour is Colour.BLUE else "candidate"
        return f"{role} {printable(state.ref.alias_name(colour), limit=24)} {version}"
    return f"{role} {colour.symbol} {colour.value} {version}"


def roles_label(state: ServiceState, width: int = 0) -> str:
    """`LIVE prod v7 · candidate test v8` in the two-alias layout, shortened to `width` when
    given: the role words go first (`prod v7 · test v8`), then the production alias's name
    (`v7 · test v8`), then the candidate's (`v7 · v8`); else the live colour's label."""
    live = state.live_colour
    if live is None:
        return "? no live colour"
    if not state.ref.two_alias:
        return colour_label(state, live)
    production, candidate = state.colour_alias(Colour.BLUE), state.colour_alias(Colour.GREEN)
    prod_version = f"v{production.version}" if production else "missing"
    version = f"v{candidate.version}" if candidate else "missing"
    name = printable(state.ref.candidate_alias, limit=24)
    prod_name = printable(state.ref.live_alias, limit=24)
    forms = (
        f"{colour_label(state, live)} · {colour_label(state, Colour.GREEN)}",
        f"{colour_label(state, live)} · {name} {version}",
        f"{prod_name} {prod_version} · {name} {version}",
        f"{prod_version} · {name} {version}",
        f"{prod_version} · {version}",
    )
    return next((f for f in forms if not width or len(f) <= width), forms[-1])


def alarm_word(state: str) -> str:
    return ALARM_WORDS.get(state, state or "unknown")


def alarm_order(alarm: AlarmState) -> tuple[int, str, str]:
    metric = alarm.metric or alarm.name
    rank = ALARM_ORDER.index(metric) if metric in ALARM_ORDER else len(ALARM_ORDER)
    return rank, metric, alarm.name


def alarm_line(alarms: Iterable[AlarmState], unreadable: str = "") -> Text:
    """`errors OK · p99 ALARM`, ALARM in reverse video; `no alarms` when none are attached;
    `alarms unreadable` when they could not be read."""
    if unreadable:
        return Text("alarms unreadable", style="bold reverse")
    text = Text()
    for alarm in sorted(alarms, key=alarm_order):
        if text:
            text.append(" · ")
        text.append(f"{printable(alarm.metric or alarm.name)} ")
        text.append(alarm_word(alarm.state), style="bold reverse" if alarm.firing else "")
    return text or Text("no alarms", style="dim")


def health(state: ServiceState) -> str:
    """The worst of: problems, unreadable alarms, alarms on live traffic, alarms on the idle
    colour, missing data."""
    if state.problems or state.routing_problems:
        return "problem"
    if state.alarms_unreadable:
        return "unreadable"
    live_scopes = {"live", state.live_colour.value if state.live_colour else ""}
    if any(a.firing and a.scope in live_scopes for a in state.alarms):
        return "alarm"
    if any(a.firing for a in state.alarms):
        return "idle-alarm"
    if state.alarms and all(a.state == "INSUFFICIENT_DATA" for a in state.alarms):
        return "no-data"
    return "ok"


def health_glyph(kind: str) -> str:
    return HEALTH_GLYPHS.get(kind, "?")


def stage_text(state: ServiceState, stage: str) -> str:
    """`prod stage → alias live = LIVE ◆ blue v2`: the alias a stage invokes and what it runs."""
    alias = state.stage_alias(stage)
    if alias is None:
        return f"{printable(stage)} stage → ? (not read)"
    live_alias = state.ref.live_alias
    colour = state.live_colour if alias == live_alias else _colour_named(state, alias)
    behind = colour_label(state, colour) if colour else "not a blue/green alias"
    warning = ""
    if stage == state.ref.test_stage and colour is not None and colour is state.live_colour:
        warning = " (!) testers reach the live colour"
    if stage == state.ref.prod_stage and alias != live_alias:
        warning = f" (!) production bypasses alias {printable(live_alias)}"
    return f"{printable(stage)} stage → alias {printable(alias)} = {behind}{warning}"


def _colour_named(state: ServiceState, alias: str) -> Colour | None:
    """The colour whose role the alias of this name plays in the service's layout."""
    return next((c for c in Colour if state.ref.alias_name(c) == alias), None)


def previous_text(state: ServiceState) -> str:
    """Where a rollback goes: the colour and version live before the last swap."""
    previous = state.previous
    if previous is None:
        return "rollback → nothing recorded (no swap yet)"
    record = state.record
    when = f" at {printable(record.changed_at)}" if record and record.changed_at else ""
    who = f" by {printable(record.changed_by, limit=40)}" if record and record.changed_by else ""
    colour = previous.colour
    return (
        f"rollback → {colour.symbol} {colour.value} v{printable(previous.version)}"
        f" (live before the swap{when}{who})"
    )
