"""Adopting an existing function into the blue/green model: from what was read to ordered steps.

Each step says how to tell it is done from a fresh read, so running the plan again after a
failure part-way skips what was done and resumes at the first step still to do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from bgtui.core.errors import BadInput
from bgtui.core.models import LIVE_ALIAS, STAGE_VARIABLE, Colour, LiveRecord

ADOPTED_ALIASES = (Colour.BLUE.value, Colour.GREEN.value, LIVE_ALIAS)
ROUTED_URI = ":${stageVariables." + STAGE_VARIABLE + "}/invocations"
DEPLOYMENT_MARK = "bgtui adopt"
"""The start of the description of the deployment adopt makes: how a resume tells it is done."""
FUNCTION_LOG_GROUP = "function_log_group"
"""The survey setting naming the function's log group, present when the group exists."""
PERMISSION_PREFIX = "bgtui-apigateway-"
"""Statement ids of the invoke permissions, as the Terraform module names them."""
_TARGET = re.compile(r"function:(?P<fn>[A-Za-z0-9_-]+)(?::(?P<qualifier>[^/]+))?/invocations$")
_VARIABLE = re.compile(r"^\$\{stageVariables\.(?P<name>[A-Za-z0-9_]+)\}$")


class StepKind(Enum):
    CREATE_ALIAS = "create-alias"
    ADD_PERMISSION = "add-permission"
    SET_STAGE_VARIABLE = "set-stage-variable"
    ROUTE_INTEGRATION = "route-integration"
    REDEPLOY = "redeploy"
    TAG = "tag"


@dataclass(frozen=True)
class Integration:
    """One method's integration on the REST API, as read."""

    resource_id: str
    path: str
    method: str
    uri: str

    @property
    def target(self) -> tuple[str, str] | None:
        """The function and the qualifier (maybe `${stageVariables.x}`) it invokes, if a Lambda."""
        found = _TARGET.search(self.uri)
        return (found["fn"], found["qualifier"] or "") if found else None


@dataclass(frozen=True)
class Survey:
    """What adopt read of a function and its REST API."""

    function: str
    function_arn: str
    api_id: str
    api_name: str
    aliases: Mapping[str, str]
    """Alias name → the version it points at."""
    tags: Mapping[str, str]
    stages: Mapping[str, Mapping[str, str]]
    """Stage name → its variables."""
    stage_deployments: Mapping[str, str]
    """Stage name → the description of the deployment it serves."""
    integrations: tuple[Integration, ...]
    permissions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Alias → statement ids of its resource policy."""
    settings: Mapping[str, str] = field(default_factory=dict)
    """The function's configuration the Terraform module declares (handler, runtime, role…)."""

    def own_integrations(self) -> tuple[Integration, ...]:
        return tuple(i for i in self.integrations if i.target and i.target[0] == self.function)


@dataclass(frozen=True)
class AdoptOptions:
    """What the operator chose: stage names, the environment label, the service's display name."""

    prod_stage: str = "prod"
    test_stage: str = "test"
    environment: str = "production"
    service_name: str = ""


@dataclass(frozen=True)
class Step:
    """One write of the adoption and the value a fresh read must show once it is done."""

    kind: StepKind
    subject: str
    value: str = ""
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind.value} {self.subject}"

    def describe(self) -> str:
        text = {
            StepKind.CREATE_ALIAS: "create alias {s} at version {v}",
            StepKind.ADD_PERMISSION: "allow API Gateway to invoke alias {s}",
            StepKind.SET_STAGE_VARIABLE: "set stage variable {s} = {v}",
            StepKind.ROUTE_INTEGRATION: "route integration {s} to ${{stageVariables.lambdaAlias}}",
            StepKind.REDEPLOY: "redeploy stages {s}",
            StepKind.TAG: "tag the function ({s})",
        }[self.kind]
        return text.format(s=self.subject, v=self.value)

    def done(self, survey: Survey) -> bool:
        """Whether `survey` (read after this step, or before a resume) shows it done."""
        kind = self.kind
        if kind is StepKind.CREATE_ALIAS:
            return self.subject in survey.aliases
        if kind is StepKind.ADD_PERMISSION:
            return self.value in survey.permissions.get(self.subject, frozenset())
        if kind is StepKind.SET_STAGE_VARIABLE:
            stage, _, name = self.subject.partition(".")
            return survey.stages.get(stage, {}).get(name) == self.value
        if kind is StepKind.ROUTE_INTEGRATION:
            return all(i.uri.endswith(ROUTED_URI) for i in _named(survey, self.subject))
        if kind is StepKind.REDEPLOY:
            stages = self.subject.split(",")
            return all(
                survey.stage_deployments.get(s, "").startswith(DEPLOYMENT_MARK) for s in stages
            )
        return all(survey.tags.get(k) == v for k, v in self.values.items())


@dataclass(frozen=True)
class AdoptionPlan:
    """The ordered steps of an adoption, and which of them a read already shows done."""

    function: str
    api_id: str
    production_alias: str
    production_version: str
    steps: tuple[Step, ...]
    done: frozenset[str]
    notes: tuple[str, ...] = ()

    @property
    def pending(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.key not in self.done)

    @property
    def complete(self) -> bool:
        return not self.pending

    def lines(self) -> list[str]:
        return [
            f"{i:2d}. [{'done' if s.key in self.done else 'todo'}] {s.describe()}"
            for i, s in enumerate(self.steps, 1)
        ]


def production_alias(survey: Survey, options: AdoptOptions) -> str:
    """The alias the production stage serves: named by its integration, directly or through a
    stage variable of the production stage."""
    targets = {i.target[1] for i in survey.own_integrations() if i.target}
    if not targets:
        raise BadInput(f"REST API {survey.api_id} has no integration invoking {survey.function}")
    prod_variables = survey.stages.get(options.prod_stage)
    if prod_variables is None:
        raise BadInput(f"REST API {survey.api_id} has no stage {options.prod_stage!r}")
    aliases = {_served_alias(t, prod_variables) for t in targets} - {""}
    if len(aliases) != 1:
        raise BadInput(
            f"the integrations of {survey.function} do not name one production alias "
            f"on stage {options.prod_stage}: {sorted(aliases) or 'none'}"
        )
    return aliases.pop()


def _served_alias(qualifier: str, variables: Mapping[str, str]) -> str:
    found = _VARIABLE.match(qualifier)
    return variables.get(found["name"], "") if found else qualifier


def plan_adoption(survey: Survey, options: AdoptOptions) -> AdoptionPlan:
    """Every step of adopting the surveyed function, in order, marked done where it is."""
    for stage in (options.prod_stage, options.test_stage):
        if stage not in survey.stages:
            raise BadInput(f"REST API {survey.api_id} has no stage {stage!r}")
    alias = production_alias(survey, options)
    version = survey.aliases.get(alias, "")
    if not version.isdigit():
        raise BadInput(
            f"production alias {alias!r} of {survey.function} does not point at a published "
            f"version ({version or 'no such alias'}): publish one and point the alias at it first"
        )
    steps = (*_alias_steps(version), *_permission_steps(), *_routing_steps(survey, options))
    steps = (*steps, Step(StepKind.TAG, "bluegreen:*", values=discovery_tags(survey, options)))
    done = frozenset(s.key for s in steps if s.done(survey))
    notes = _notes(survey, alias)
    return AdoptionPlan(survey.function, survey.api_id, alias, version, steps, done, notes)


def _alias_steps(version: str) -> tuple[Step, ...]:
    return tuple(Step(StepKind.CREATE_ALIAS, a, version) for a in ADOPTED_ALIASES)


def _permission_steps() -> tuple[Step, ...]:
    return tuple(
        Step(StepKind.ADD_PERMISSION, a, f"{PERMISSION_PREFIX}{a}") for a in ADOPTED_ALIASES
    )


def _routing_steps(survey: Survey, options: AdoptOptions) -> tuple[Step, ...]:
    variables = (
        Step(StepKind.SET_STAGE_VARIABLE, f"{options.prod_stage}.{STAGE_VARIABLE}", LIVE_ALIAS),
        Step(
            StepKind.SET_STAGE_VARIABLE,
            f"{options.test_stage}.{STAGE_VARIABLE}",
            Colour.GREEN.value,
        ),
    )
    routes = tuple(
        Step(StepKind.ROUTE_INTEGRATION, integration_key(i)) for i in survey.own_integrations()
    )
    redeploy = Step(StepKind.REDEPLOY, f"{options.prod_stage},{options.test_stage}")
    return (*variables, *routes, redeploy)


def routed_uri(integration: Integration) -> str:
    """The integration's URI invoking the alias the stage variable lambdaAlias names."""
    found = _TARGET.search(integration.uri)
    if found is None:
        raise BadInput(f"integration {integration_key(integration)} does not invoke a function")
    return integration.uri[: found.start()] + f"function:{found['fn']}" + ROUTED_URI


def integration_key(integration: Integration) -> str:
    return f"{integration.method} {integration.path}"


def _named(survey: Survey, key: str) -> tuple[Integration, ...]:
    return tuple(i for i in survey.own_integrations() if integration_key(i) == key)


def live_description() -> str:
    """The live alias's record at adoption: blue is live, nothing was live before."""
    return LiveRecord(colour=Colour.BLUE).to_description()


def discovery_tags(survey: Survey, options: AdoptOptions) -> dict[str, str]:
    """The tags the Terraform module writes, so the console finds the service by them."""
    function = survey.function
    return {
        "bluegreen:managed": "true",
        "bluegreen:service": options.service_name or function,
        "bluegreen:api-id": survey.api_id,
        "bluegreen:api-name": survey.api_name,
        "bluegreen:prod-stage": options.prod_stage,
        "bluegreen:test-stage": options.test_stage,
        "bluegreen:alarm-prefix": f"{function}-",
        "bluegreen:audit-log-group": f"/bgtui/audit/{function}",
        "bluegreen:environment": options.environment,
    }


def _notes(survey: Survey, alias: str) -> tuple[str, ...]:
    kept = sorted(set(survey.aliases) - set(ADOPTED_ALIASES))
    notes = [f"production alias today: {alias}; aliases kept as they are: {', '.join(kept)}"]
    notes.append(
        "needs lambda:CreateAlias, lambda:AddPermission, lambda:TagResource, "
        "apigateway:PUT/PATCH/POST on the REST API: an administrator's action, "
        "beyond the operator policy"
    )
    return tuple(notes)
