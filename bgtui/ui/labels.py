"""Words and glyphs for service states, so every state reads without colour."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from bgtui.core.models import AlarmState, Colour, ServiceState

ALARM_WORDS = {"OK": "OK", "ALARM": "ALARM", "INSUFFICIENT_DATA": "NO DATA"}
HEALTH_GLYPHS = {
    "ok": "✔",
    "alarm": "✖",
    "idle-alarm": "!",
    "problem": "⚠",
    "no-data": "?",
    "unreadable": "✖",
}


def colour_label(state: ServiceState, colour: Colour) -> str:
    """`LIVE ◆ blue v7` or `idle ● green v8`: the role in words, the colour as a glyph."""
    alias = state.colour_alias(colour)
    version = f"v{alias.version}" if alias else "missing"
    role = "LIVE" if state.live_colour is colour else "idle"
    return f"{role} {colour.symbol} {colour.value} {version}"


def live_short(state: ServiceState) -> str:
    """`◆ blue` for the services list; `?` when no colour can be called live."""
    colour = state.live_colour
    return f"{colour.symbol} {colour.value}" if colour else "? none"


def alarm_word(state: str) -> str:
    return ALARM_WORDS.get(state, state or "unknown")


def alarm_line(alarms: Iterable[AlarmState], unreadable: str = "") -> Text:
    """`errors OK · p99 ALARM`, ALARM in reverse video; `no alarms` when none are attached;
    `alarms unreadable` when they could not be read."""
    if unreadable:
        return Text("alarms unreadable", style="bold reverse")
    text = Text()
    for alarm in alarms:
        if text:
            text.append(" · ")
        text.append(f"{alarm.metric or alarm.name} ")
        text.append(alarm_word(alarm.state), style="bold reverse" if alarm.firing else "")
    return text or Text("no alarms", style="dim")


def health(state: ServiceState) -> str:
    """The worst of: problems, unreadable alarms, alarms on live traffic, alarms on the idle
    colour, missing data."""
    if state.problems:
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
    """`prod → live (◆ blue)`: the alias a stage invokes and the colour behind it."""
    alias = state.stage_alias(stage)
    if alias is None:
        return f"{stage} → ?"
    colour = state.live_colour if alias == "live" else _colour_named(alias)
    behind = f" ({colour.symbol} {colour.value})" if colour and alias == "live" else ""
    role = ""
    if colour and alias != "live":
        role = " (LIVE!)" if colour is state.live_colour else " (idle)"
    symbol = f"{colour.symbol} " if colour and alias != "live" else ""
    return f"{stage} → {symbol}{alias}{behind}{role}"


def _colour_named(name: str) -> Colour | None:
    try:
        return Colour(name)
    except ValueError:
        return None


def version_text(version: str | None) -> str:
    return f"v{version}" if version else "—"


def previous_text(state: ServiceState) -> str:
    previous = state.previous
    if previous is None:
        return "prev —"
    return f"prev {previous.colour.symbol} {previous.colour.value} v{previous.version}"
