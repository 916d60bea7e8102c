"""Adopt planning: from a survey to ordered steps, which of them a read shows done, and the
Terraform text; no AWS involved."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bgtui.core.adopt_terraform import import_blocks, module_call, module_name
from bgtui.core.adopting import (
    AdoptOptions,
    Integration,
    StepKind,
    Survey,
    discovery_tags,
    live_description,
    plan_adoption,
    routed_uri,
)
from bgtui.core.errors import BadInput
from bgtui.core.models import LiveRecord

PREFIX = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders"


def _uri(qualifier: str) -> str:
    return f"{PREFIX}{FN_ARN}{':' + qualifier if qualifier else ''}/invocations"


def survey(**changes: object) -> Survey:
    base = Survey(
        function="orders",
        function_arn=FN_ARN,
        api_id="api1",
        api_name="orders-api",
        aliases={"prod": "1", "test": "2"},
        tags={},
        stages={"prod": {"alias": "prod"}, "test": {"alias": "test"}},
        stage_deployments={"prod": "", "test": ""},
        integrations=(Integration("r0", "/", "ANY", _uri("${stageVariables.alias}")),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_fresh_stack_plans_every_step_in_order_at_the_production_version() -> None:
    plan = plan_adoption(survey(), AdoptOptions())
    assert plan.production_alias == "prod" and plan.production_version == "1"
    kinds = [s.kind for s in plan.steps]
    assert kinds == [
        *[StepKind.CREATE_ALIAS] * 3,
        *[StepKind.ADD_PERMISSION] * 3,
        *[StepKind.SET_STAGE_VARIABLE] * 2,
        StepKind.ROUTE_INTEGRATION,
        StepKind.REDEPLOY,
        StepKind.TAG,
    ]
    assert {s.subject: s.value for s in plan.steps if s.kind is StepKind.CREATE_ALIAS} == {
        "blue": "1",
        "green": "1",
        "live": "1",
    }
    assert plan.pending == plan.steps and not plan.complete


def test_steps_a_read_shows_done_are_skipped_on_resume() -> None:
    resumed = survey(
        aliases={"prod": "1", "test": "2", "blue": "1", "green": "1", "live": "1"},
        permissions={"blue": frozenset({"bgtui-apigateway-blue"})},
        stages={"prod": {"alias": "prod", "lambdaAlias": "live"}, "test": {"alias": "test"}},
    )
    plan = plan_adoption(resumed, AdoptOptions())
    assert [s.key for s in plan.pending][:3] == [
        "add-permission green",
        "add-permission live",
        "set-stage-variable test.lambdaAlias",
    ]


def test_after_routing_the_production_alias_is_read_through_lambda_alias() -> None:
    routed = survey(
        aliases={"prod": "1", "live": "1"},
        stages={"prod": {"alias": "prod", "lambdaAlias": "live"}, "test": {}},
        integrations=(Integration("r0", "/", "ANY", _uri("${stageVariables.lambdaAlias}")),),
    )
    plan = plan_adoption(routed, AdoptOptions())
    assert plan.production_alias == "live" and plan.production_version == "1"
    assert "route-integration ANY /" in plan.done


def test_a_fully_adopted_stack_has_nothing_to_do() -> None:
    options = AdoptOptions()
    done = survey(
        aliases={"prod": "1", "blue": "1", "green": "1", "live": "1"},
        permissions={a: frozenset({f"bgtui-apigateway-{a}"}) for a in ("blue", "green", "live")},
        stages={"prod": {"lambdaAlias": "live"}, "test": {"lambdaAlias": "green"}},
        stage_deployments={"prod": "bgtui adopt: CHG", "test": "bgtui adopt: CHG"},
        integrations=(Integration("r0", "/", "ANY", _uri("${stageVariables.lambdaAlias}")),),
    )
    done = replace(done, tags=discovery_tags(done, options))
    assert plan_adoption(done, options).complete


def test_an_integration_naming_an_alias_directly_names_production() -> None:
    fixed = survey(integrations=(Integration("r0", "/", "ANY", _uri("test")),))
    assert plan_adoption(fixed, AdoptOptions()).production_version == "2"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"integrations": ()}, "no integration invoking orders"),
        ({"stages": {"prod": {"alias": "prod"}}}, "no stage 'test'"),
        ({"integrations": (Integration("r0", "/", "ANY", _uri("")),)}, "one production alias"),
        ({"aliases": {"test": "2"}}, "no such alias"),
        ({"aliases": {"prod": "$LATEST"}}, "published version"),
    ],
)
def test_a_stack_adopt_cannot_read_is_bad_input(changes: dict, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        plan_adoption(survey(**changes), AdoptOptions())


def test_routing_keeps_the_function_arn_and_swaps_the_qualifier() -> None:
    integration = Integration("r0", "/", "ANY", _uri("prod"))
    assert routed_uri(integration) == _uri("${stageVariables.lambdaAlias}")


def test_the_live_alias_record_says_blue_is_live() -> None:
    plan = plan_adoption(survey(), AdoptOptions())
    assert plan.notes and "administrator" in plan.notes[-1]
    record = LiveRecord.from_description(live_description())
    assert record is not None and record.colour.value == "blue" and record.previous is None


def test_terraform_imports_name_each_existing_resource_of_the_module() -> None:
    text = import_blocks(survey(), AdoptOptions())
    assert 'to = module.orders.aws_lambda_permission.api["live"]' in text
    assert 'id = "orders:live/bgtui-apigateway-live"' in text
    assert 'id = "api1/r0/ANY"' in text
    assert text.count("import {") == 12
    logged = survey(settings={"function_log_group": "/aws/lambda/orders"})
    assert 'id = "/aws/lambda/orders"' in import_blocks(logged, AdoptOptions())
    call = module_call(survey(settings={"handler": "index.handler"}), AdoptOptions(), "f.zip")
    assert 'module "orders" {' in call and '"index.handler"' in call
    assert module_name("9-lives") == "service_9_lives"
