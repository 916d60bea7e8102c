"""Named contexts from `[[context]]` tables: which profile, region(s), endpoint and environment."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bgtui.core.errors import BadInput
from bgtui.core.whereabouts import is_production

CONTEXT_KEYS = {"name", "profile", "region", "regions", "read_only", "environment", "endpoint_url"}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


@dataclass(frozen=True)
class Context:
    """One place an operator works in: an account (by profile), its region(s), its environment."""

    name: str
    """What `--context NAME` and the console's switcher call it."""
    profile: str | None = None
    """The AWS profile; None keeps the default credential chain."""
    regions: tuple[str, ...] = ()
    """The regions read; the first is where changes are made. Empty keeps the profile's."""
    read_only: bool = False
    """Refuse every mutation in this context, as `--read-only` does."""
    environment: str = ""
    """The environment label shown in the header, e.g. production or staging."""
    endpoint_url: str | None = None
    """An endpoint override for every AWS service (an emulator, a proxy)."""

    @property
    def production(self) -> bool:
        """Unlabelled counts as production: the banner errs on the side of care."""
        return is_production(self.environment)


def parse_contexts(tables: Sequence[Any], where: str) -> tuple[Context, ...]:
    contexts = tuple(_context(table, where) for table in tables)
    names = [c.name for c in contexts]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BadInput(f"{where}: context {twice[0]!r} is defined twice")
    return contexts


def find_context(contexts: Sequence[Context], name: str, where: str) -> Context:
    for context in contexts:
        if context.name == name:
            return context
    known = ", ".join(c.name for c in contexts) or "none configured"
    raise BadInput(f"no context {name!r} in {where} (contexts: {known})")


def _context(table: Any, where: str) -> Context:
    if not isinstance(table, dict):
        raise BadInput(f"{where}: each [[context]] must be a table")
    unknown = sorted(set(table) - CONTEXT_KEYS)
    if unknown:
        raise BadInput(f"{where}: unknown key [context] {unknown[0]!r}")
    name = table.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise BadInput(
            f'{where}: every [[context]] needs name = "NAME" (letters, digits, . _ -), not {name!r}'
        )
    here = f"{where}: [context {name}]"
    read_only = table.get("read_only", False)
    if not isinstance(read_only, bool):
        raise BadInput(f"{here} read_only must be true or false, not {read_only!r}")
    return Context(
        name=name,
        profile=_text(table, "profile", here) or None,
        regions=_regions(table, here),
        read_only=read_only,
        environment=_text(table, "environment", here),
        endpoint_url=_endpoint(table, here),
    )


def _text(table: Mapping[str, Any], key: str, here: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or not value.isprintable():
        raise BadInput(f"{here} {key} must be a line of text, not {value!r}")
    return value.strip()


def _regions(table: Mapping[str, Any], here: str) -> tuple[str, ...]:
    if "region" in table and "regions" in table:
        raise BadInput(f"{here} has both region and regions: keep one")
    value = table.get("regions", [table["region"]] if "region" in table else [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInput(f"{here} regions must be a list of region names, not {value!r}")
    for region in value:
        if not REGION.fullmatch(region):
            raise BadInput(f"{here} {region!r} is not an AWS region name (like eu-west-1)")
    if len(set(value)) != len(value):
        raise BadInput(f"{here} lists a region twice")
    return tuple(value)


def _endpoint(table: Mapping[str, Any], here: str) -> str | None:
    url = _text(table, "endpoint_url", here)
    if url and not re.match(r"https?://[^\s/]+", url):
        raise BadInput(f"{here} endpoint_url must be an http(s) URL, not {url!r}")
    return url or None
