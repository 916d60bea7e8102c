"""`adopt`: survey a function and its REST API, then make each missing piece, audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bgtui.adapters.aws.adoption import AwsAdoption
from bgtui.core.adopt_port import AdoptionPort
from bgtui.core.adopting import (
    DEPLOYMENT_MARK,
    AdoptionPlan,
    AdoptOptions,
    Step,
    StepKind,
    Survey,
    integration_key,
    live_description,
    plan_adoption,
    routed_uri,
)
from bgtui.core.audit import AuditTrail
from bgtui.core.audit_record import Actor, AuditRecord
from bgtui.core.errors import BadInput, BgtuiError, OperationFailed, Refused
from bgtui.core.models import LIVE_ALIAS, Identity

if TYPE_CHECKING:
    from bgtui.app.service import ReleaseService

ACTION = "adopt"
COLOUR_DESCRIPTIONS = {"blue": "bgtui blue colour", "green": "bgtui green colour"}
"""What the Terraform module writes on the colour aliases."""


@dataclass(frozen=True)
class Surveyed:
    """A survey and the plan made from it."""

    survey: Survey
    plan: AdoptionPlan


@dataclass
class Adoption:
    """Adopts one function at a time: plan, confirm, then each pending step, re-read after it."""

    port: AdoptionPort
    audit: AuditTrail
    actor: Callable[[], Identity]
    region: str
    read_only: bool = False
    options: AdoptOptions = field(default_factory=AdoptOptions)

    def prepare(self, function: str, api_id: str = "") -> Surveyed:
        """What is there and what adopt would do; nothing is written."""
        api_id = api_id or self._only_api(function)
        survey = self.port.survey(function, api_id)
        return Surveyed(survey, plan_adoption(survey, self.options))

    def _only_api(self, function: str) -> str:
        found = self.port.apis_invoking(function)
        if len(found) != 1:
            many = (
                f"{len(found)} REST APIs invoke it ({', '.join(found)})"
                if found
                else "no REST API invokes it"
            )
            raise BadInput(f"{function}: {many}; name one with --api-id")
        return found[0]

    def execute(self, surveyed: Surveyed, reason: str, typed: str) -> AdoptionPlan:
        """Run the plan's pending steps in order, each confirmed by a fresh read. A failure
        stops at its step and is recorded; running adopt again resumes there."""
        plan = surveyed.plan
        refusal = self._refusal(plan, reason, typed)
        if refusal:
            self._record(plan, "outcome", reason, outcome="refused", error=refusal)
            raise Refused(refusal)
        intent = self._record(plan, "intent", reason, steps=[s.key for s in plan.pending])
        survey = surveyed.survey
        for step in plan.pending:
            try:
                survey = self._run(step, survey, plan, reason)
            except BgtuiError as error:
                self._record(
                    plan, "step", reason, step=step.key, outcome="failed", error=str(error)
                )
                self._record(
                    plan, "outcome", reason, outcome="failed", error=str(error), intent=intent.seq
                )
                raise
            self._record(plan, "step", reason, step=step.key, outcome="ok")
        self._record(plan, "outcome", reason, outcome="ok", intent=intent.seq)
        return plan_adoption(survey, self.options)

    def _refusal(self, plan: AdoptionPlan, reason: str, typed: str) -> str:
        if self.read_only:
            return "read-only: adopt writes aliases, permissions, the REST API and tags"
        if not reason.strip():
            return "adopt needs a reason or change ticket (--reason)"
        if typed != plan.function:
            return f"not confirmed: type the function name {plan.function!r} to adopt it"
        return ""

    def _run(self, step: Step, survey: Survey, plan: AdoptionPlan, reason: str) -> Survey:
        self._write(step, survey, plan, reason)
        after = self.port.survey(survey.function, survey.api_id)
        if not step.done(after):
            raise OperationFailed(f"{step.describe()}: written, but not there when read back")
        return after

    def _write(self, step: Step, survey: Survey, plan: AdoptionPlan, reason: str) -> None:
        port, function, api_id = self.port, survey.function, survey.api_id
        if step.kind is StepKind.CREATE_ALIAS:
            text = (
                live_description()
                if step.subject == LIVE_ALIAS
                else COLOUR_DESCRIPTIONS[step.subject]
            )
            port.create_alias(function, step.subject, step.value, text)
        elif step.kind is StepKind.ADD_PERMISSION:
            port.add_permission(function, step.subject, step.value, api_id)
        elif step.kind is StepKind.SET_STAGE_VARIABLE:
            stage, _, name = step.subject.partition(".")
            port.set_stage_variable(api_id, stage, name, step.value)
        elif step.kind is StepKind.ROUTE_INTEGRATION:
            for integration in survey.own_integrations():
                if integration_key(integration) == step.subject:
                    port.route_integration(api_id, integration, routed_uri(integration))
        elif step.kind is StepKind.REDEPLOY:
            port.redeploy(api_id, step.subject.split(","), f"{DEPLOYMENT_MARK}: {reason}"[:200])
        else:
            port.tag_function(survey.function_arn, step.values)

    def _record(self, plan: AdoptionPlan, phase: str, reason: str, **fields: object) -> AuditRecord:
        who = self.actor()
        extra = {k: v for k, v in fields.items() if k in ("step", "steps")}
        extra["api_id"] = plan.api_id
        extra["production"] = {"alias": plan.production_alias, "version": plan.production_version}
        outcome = fields.get("outcome")
        intent = fields.get("intent")
        return self.audit.append(
            AuditRecord(
                action=ACTION,
                phase=phase,
                function=plan.function,
                region=self.region,
                account=who.account,
                actor=Actor(who.arn, who.local),
                reason=reason,
                outcome=str(outcome) if outcome is not None else None,
                error=str(fields.get("error", "")),
                intent=intent if isinstance(intent, int) else None,
                extra=extra,
            )
        )


def unfinished_adoptions(audit: AuditTrail) -> list[str]:
    """What each adopt recorded here that stopped part-way left behind (those since finished by a
    later run are done): such a function is no service yet, so no list shows it."""
    adopts = [r for r in audit.records() if r.action == ACTION]
    functions = dict.fromkeys(r.function for r in adopts)
    return [line for fn in functions if (line := _progress(adopts, fn))]


def adoption_progress(audit: AuditTrail, function: str) -> str:
    """What the last adopt of `function` left behind, when it stopped part-way; else empty."""
    return _progress([r for r in audit.records() if r.action == ACTION], function)


def _progress(adopts: list[AuditRecord], function: str) -> str:
    records = [r for r in adopts if r.function == function]
    outcomes = [r for r in records if r.is_outcome]
    if not outcomes or outcomes[-1].outcome != "failed":
        return ""
    last = outcomes[-1]
    done = [
        r for r in records if r.phase == "step" and r.outcome == "ok" and r.seq > (last.intent or 0)
    ]
    return (
        f"adopting {function} stopped after {len(done)} step(s) at audit record {last.seq}: "
        f"{last.error}; run `bgtui adopt {function} --reason ...` again to resume"
    )


def adoption_for(service: ReleaseService, options: AdoptOptions) -> Adoption:
    """Adopt over the service's AWS context, audit trail and identity."""
    backend = service.backend
    if backend.context is None:
        raise BadInput("adopt needs AWS (or an emulator) to read the function from")
    return Adoption(
        AwsAdoption(backend.context),
        backend.audit,
        backend.operations.actor,
        backend.region,
        read_only=service.policy.read_only,
        options=options,
    )
