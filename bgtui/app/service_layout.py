"""The alias and stage-variable mapping of one `[[service]]` table, checked before use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bgtui.core.catalog import is_alias_name
from bgtui.core.errors import BadInput

LAYOUT_KEYS = ("live_alias", "colour_aliases", "candidate_alias", "stage_variable")


def layout_fields(table: Mapping[str, Any], where: str) -> dict[str, object]:
    """ServiceRef fields for the aliases and stage variable a `[[service]]` table maps."""
    fields: dict[str, object] = {}
    for key in ("live_alias", "candidate_alias"):
        if key in table:
            fields[key] = _alias(table[key], key, where)
    colours: tuple[str, ...] = ()
    if "colour_aliases" in table:
        colours = fields["colour_aliases"] = _colours(table["colour_aliases"], where)
    if colours and "candidate_alias" in fields:
        raise BadInput(f"{where}: [service] takes colour_aliases or candidate_alias, not both")
    if "stage_variable" in table:
        fields["stage_variable"] = _variable(table["stage_variable"], where)
    named = [str(fields.get("live_alias", "live")), *colours]
    if "candidate_alias" in fields:
        named.append(str(fields["candidate_alias"]))
    if len(set(named)) != len(named):
        raise BadInput(f"{where}: [service] names one alias for two roles: {named}")
    return fields


def _alias(value: object, key: str, where: str) -> str:
    if not isinstance(value, str) or not is_alias_name(value):
        raise BadInput(f"{where}: [service] {key} must be a Lambda alias name, not {value!r}")
    return value


def _colours(value: object, where: str) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2:
        raise BadInput(
            f'{where}: [service] colour_aliases must be two names, e.g. ["blue", "green"]'
        )
    first, second = (_alias(v, "colour_aliases", where) for v in value)
    return first, second


def _variable(value: object, where: str) -> str:
    if not isinstance(value, str) or not (value == "" or value.isidentifier()):
        raise BadInput(f'{where}: [service] stage_variable must be a variable name or ""')
    return "" if value.lower() == "none" else value
