"""Which Lambda qualifier each stage of a service's REST API really invokes, and what is wrong."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bgtui.core.models import STAGE_VARIABLE, ServiceRef, StageRoute, StageState

_INVOCATION = re.compile(
    r"^arn:aws[a-z-]*:apigateway:[^:]*:lambda:path/[^/]+/functions/(?P<arn>.+)/invocations$"
)
_FUNCTION_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:(?P<name>[^:]+)(?::(?P<qualifier>.+))?$"
)
_VARIABLE = re.compile(r"^\$\{stageVariables\.(?P<name>[A-Za-z0-9_]+)\}$")
UNQUALIFIED = "$LATEST"


@dataclass(frozen=True)
class ApiIntegration:
    """One method of a REST API and the URI of its integration, as API Gateway defines it."""

    method: str
    """`ANY /orders`: the HTTP method and the resource path."""
    uri: str


def has_own_layout(ref: ServiceRef) -> bool:
    """Whether the service maps its own aliases or stage variable: a stack made without the
    Terraform module, whose integrations nobody has checked, rather than one the module wired
    to `${stageVariables.lambdaAlias}` (and whose policies grant no read of them)."""
    default = ServiceRef(ref.function, ref.region)
    mapping = ("live_alias", "colour_aliases", "candidate_alias")
    own = any(getattr(ref, name) != getattr(default, name) for name in mapping)
    return own or ref.stage_variable != STAGE_VARIABLE


def lambda_target(uri: str) -> tuple[str, str] | None:
    """The function name and qualifier ("" when unqualified) a Lambda integration URI invokes;
    None for any other integration."""
    invocation = _INVOCATION.match(uri)
    function = _FUNCTION_ARN.match(invocation["arn"]) if invocation else None
    if function is None:
        # A bare function name or a partial ARN is also accepted by Lambda's Invoke path.
        return None
    return function["name"], function["qualifier"] or ""


def stage_routes(
    function: str, stages: Mapping[str, StageState], integrations: Sequence[ApiIntegration]
) -> tuple[StageRoute, ...]:
    """For every stage, each method invoking `function`: how it picks the qualifier, and what
    that stage therefore serves."""
    targets = [(i.method, lambda_target(i.uri)) for i in integrations]
    mine = [(method, t[1]) for method, t in targets if t is not None and t[0] == function]
    return tuple(
        _route(stage, method, qualifier) for stage in stages.values() for method, qualifier in mine
    )


def _route(stage: StageState, method: str, qualifier: str) -> StageRoute:
    variable = _VARIABLE.match(qualifier)
    if variable is not None:
        name = variable["name"]
        return StageRoute(stage.name, method, "variable", name, stage.variables.get(name))
    if not qualifier:
        return StageRoute(stage.name, method, "unqualified", "", UNQUALIFIED)
    return StageRoute(stage.name, method, "pinned", qualifier, qualifier)


def routing_problems(
    ref: ServiceRef, routes: Sequence[StageRoute], live_version: str | None
) -> tuple[str, ...]:
    """One line per stage whose integrations do not route by the service's stage variable: the
    test stage serving production, or the prod stage serving anything but production."""
    if not ref.stage_variable:
        return ()
    found = []
    for stage in (ref.test_stage, ref.prod_stage):
        mine = [r for r in routes if r.stage == stage]
        wrong = [r for r in mine if not (r.kind == "variable" and r.target == ref.stage_variable)]
        problem = _stage_problem(ref, stage, wrong, live_version)
        if problem:
            share = f" ({len(wrong)} of {len(mine)} methods)" if len(wrong) < len(mine) else ""
            found.append(problem + share)
        elif stage == ref.test_stage and any(r.serves is None for r in mine):
            found.append(f"{stage} stage does not set stageVariables.{ref.stage_variable}")
    return tuple(found)


def _stage_problem(
    ref: ServiceRef, stage: str, wrong: Sequence[StageRoute], live_version: str | None
) -> str:
    if not wrong:
        return ""
    route = wrong[0]
    serves_live = route.serves in (ref.live_alias, live_version)
    if stage == ref.prod_stage and serves_live:
        return ""  # production pinned to production: bgtui's swaps still reach it
    head = f"{stage} stage does not route by stageVariables.{ref.stage_variable}"
    if stage == ref.test_stage and route.serves == ref.live_alias:
        return f"{head}: it serves {ref.live_alias}'s alias — tests on it test production"
    if stage == ref.test_stage and serves_live:
        return (
            f"{head}: it is pinned to v{live_version}, the version {ref.live_alias} runs"
            " — tests on it test production"
        )
    if route.kind == "variable":
        return f"{head}: it routes by stageVariables.{route.target} ({route.serves or 'unset'})"
    if route.kind == "unqualified":
        return f"{head}: it serves the unqualified function ({UNQUALIFIED})"
    return f"{head}: it is pinned to {route.target}"
