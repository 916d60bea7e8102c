"""A small IAM evaluator for identity policies: Action and Resource wildcards, NotAction,
NotResource, explicit Deny wins, anything not allowed is denied. Of conditions only
StringEquals is modelled (a key the request does not carry fails it, as in IAM); any other
operator is refused rather than guessed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

Policy = Mapping[str, Any]


class UnsupportedPolicy(ValueError):
    """The policy uses something this evaluator does not model (a condition operator)."""


MODELLED_CONDITIONS = frozenset({"StringEquals"})


@dataclass(frozen=True)
class Request:
    """One AWS action on one resource ARN (`*` for actions that take no resource), with the
    condition keys the request carries."""

    action: str
    resource: str
    context: Mapping[str, str] = field(default_factory=dict)


def decide(policies: Iterable[Policy], request: Request) -> str:
    """`allow`, `deny` (an explicit Deny) or `implicit-deny` (nothing allows it)."""
    verdict = "implicit-deny"
    for statement in (s for policy in policies for s in _statements(policy)):
        if not _applies(statement, request):
            continue
        if statement.get("Effect") == "Deny":
            return "deny"
        if statement.get("Effect") == "Allow":
            verdict = "allow"
    return verdict


def allowed(policies: Iterable[Policy], request: Request) -> bool:
    return decide(list(policies), request) == "allow"


def granted_actions(policy: Policy) -> set[str]:
    """Every action a policy allows; it must name them one by one (no wildcards)."""
    statements = [s for s in _statements(policy) if s.get("Effect") == "Allow"]
    actions = {action for s in statements for action in _listed(s.get("Action", []))}
    if any("*" in action for action in actions):
        raise UnsupportedPolicy(f"an action wildcard hides what is granted: {sorted(actions)}")
    return actions


def _statements(policy: Policy) -> list[Mapping[str, Any]]:
    found = policy.get("Statement", [])
    statements = [found] if isinstance(found, Mapping) else list(found)
    for statement in statements:
        operators = set(statement.get("Condition", {}))
        if operators - MODELLED_CONDITIONS:
            raise UnsupportedPolicy(
                f"statement {statement.get('Sid', '?')} has a condition operator this evaluator "
                f"does not model: {sorted(operators - MODELLED_CONDITIONS)}"
            )
    return statements


def _applies(statement: Mapping[str, Any], request: Request) -> bool:
    return (
        _matches_element(statement, "Action", request.action, fold=True)
        and _matches_element(statement, "Resource", request.resource, fold=False)
        and _conditions_hold(statement.get("Condition", {}), request.context)
    )


def _conditions_hold(conditions: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    """StringEquals: every key names a value the request carries (any of a list); condition
    key names ignore case, values do not."""
    carried = {key.lower(): value for key, value in context.items()}
    for key, expected in conditions.get("StringEquals", {}).items():
        value = carried.get(key.lower())
        if value is None or value not in _listed(expected):
            return False
    return True


def _matches_element(statement: Mapping[str, Any], key: str, value: str, fold: bool) -> bool:
    if key in statement:
        return any(wildcard(p, fold).fullmatch(value) for p in _listed(statement[key]))
    if f"Not{key}" in statement:
        return not any(wildcard(p, fold).fullmatch(value) for p in _listed(statement[f"Not{key}"]))
    return False


def _listed(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@cache
def wildcard(pattern: str, fold: bool) -> re.Pattern[str]:
    """IAM matching: `*` any run of characters (`:` and `/` too), `?` one character; action
    names ignore case, resource ARNs do not."""
    body = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )
    return re.compile(body, re.IGNORECASE | re.DOTALL if fold else re.DOTALL)
