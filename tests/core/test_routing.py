"""What each stage's Lambda integrations invoke, and the stages that do not route as mapped.

The URI form is botocore's service model apigateway/2015-07-09/service-2.json, Integration
member `uri`: for AWS and AWS_PROXY integrations
`arn:aws:apigateway:{region}:{service}:path/{service_api}`; Lambda's Invoke path is
`2015-03-31/functions/{function ARN}/invocations` (lambda/2015-03-31/service-2.json, Invoke
`requestUri`), where the function ARN may carry a qualifier (alias or version).
"""

from __future__ import annotations

from bgtui.core.catalog import Catalog
from bgtui.core.errors import CredentialError, Throttled
from bgtui.core.models import AliasState, ServiceRef, StageState
from bgtui.core.routing import (
    ApiIntegration,
    has_own_layout,
    lambda_target,
    routing_problems,
    stage_routes,
)
from tests.fakes import FakeAws

FN = "orders"
REF = ServiceRef(
    FN, "eu-west-1", api_id="a1", live_alias="prod", candidate_alias="test", stage_variable="alias"
)
STAGES = {n: StageState(n, None, variables={"alias": n}) for n in ("prod", "test")}


def uri(qualifier: str = "", function: str = FN, partition: str = "aws") -> str:
    arn = f"arn:{partition}:lambda:eu-west-1:123456789012:function:{function}"
    arn += f":{qualifier}" if qualifier else ""
    return (
        f"arn:{partition}:apigateway:eu-west-1:lambda:path/2015-03-31/functions/{arn}/invocations"
    )


def problems(*integrations: ApiIntegration, live_version: str = "7") -> tuple[str, ...]:
    return routing_problems(REF, stage_routes(FN, STAGES, integrations), live_version)


def test_lambda_uris_are_parsed_and_other_integrations_ignored() -> None:
    assert lambda_target(uri("${stageVariables.alias}")) == (FN, "${stageVariables.alias}")
    assert lambda_target(uri()) == (FN, "")
    assert lambda_target(uri("7", partition="aws-cn")) == (FN, "7")
    assert lambda_target("arn:aws:apigateway:eu-west-1:s3:path/bucket/key") is None
    assert lambda_target("https://example.com/orders") is None


def test_routing_by_the_mapped_variable_serves_each_stage_its_alias() -> None:
    routes = stage_routes(FN, STAGES, [ApiIntegration("ANY /", uri("${stageVariables.alias}"))])
    assert {(r.stage, r.kind, r.serves) for r in routes} == {
        ("prod", "variable", "prod"),
        ("test", "variable", "test"),
    }
    assert routing_problems(REF, routes, "7") == ()


def test_a_test_stage_pinned_to_production_is_named() -> None:
    assert problems(ApiIntegration("ANY /", uri("prod"))) == (
        "test stage does not route by stageVariables.alias: it serves prod's alias"
        " — tests on it test production",
    )
    pinned_version = problems(ApiIntegration("ANY /", uri("7")))
    assert pinned_version == (
        "test stage does not route by stageVariables.alias: it is pinned to v7, the version"
        " prod runs — tests on it test production",
    )


def test_one_wrong_method_of_several_is_counted_and_other_functions_ignored() -> None:
    found = problems(
        ApiIntegration("GET /orders", uri("${stageVariables.alias}")),
        ApiIntegration("POST /orders", uri()),
        ApiIntegration("GET /other", uri("prod", function="other")),
    )
    assert len(found) == 2
    assert found[0] == (
        "test stage does not route by stageVariables.alias: it serves the unqualified"
        " function ($LATEST) (1 of 2 methods)"
    )
    assert found[1].startswith("prod stage does not route by stageVariables.alias: it serves")


def test_a_prod_stage_pinned_to_production_is_no_problem_but_one_on_the_candidate_is() -> None:
    by_stage = {
        "prod": [ApiIntegration("ANY /", uri("prod"))],
        "test": [ApiIntegration("ANY /", uri("${stageVariables.alias}"))],
    }
    routes = tuple(
        route
        for name, integrations in by_stage.items()
        for route in stage_routes(FN, {name: STAGES[name]}, integrations)
    )
    assert routing_problems(REF, routes, "7") == ()
    wrong = stage_routes(FN, {"prod": STAGES["prod"]}, [ApiIntegration("ANY /", uri("test"))])
    assert routing_problems(REF, wrong, "7") == (
        "prod stage does not route by stageVariables.alias: it is pinned to test",
    )


def test_another_variable_and_an_unset_one_are_named() -> None:
    assert problems(ApiIntegration("ANY /", uri("${stageVariables.lambdaAlias}"))) == (
        "test stage does not route by stageVariables.alias: it routes by"
        " stageVariables.lambdaAlias (unset)",
        "prod stage does not route by stageVariables.alias: it routes by"
        " stageVariables.lambdaAlias (unset)",
    )
    unset = {"test": StageState("test", None), "prod": STAGES["prod"]}
    routes = stage_routes(FN, unset, [ApiIntegration("ANY /", uri("${stageVariables.alias}"))])
    assert routing_problems(REF, routes, "7") == ("test stage does not set stageVariables.alias",)


def test_only_stacks_with_their_own_layout_have_their_integrations_checked() -> None:
    """The module wires `${stageVariables.lambdaAlias}` and its policies grant no read of the
    API's resources: its stacks are not asked (no call, no refusal)."""
    assert has_own_layout(REF)
    assert has_own_layout(ServiceRef(FN, "eu-west-1", stage_variable="alias"))
    assert has_own_layout(ServiceRef(FN, "eu-west-1", colour_aliases=("a", "b")))
    assert not has_own_layout(ServiceRef(FN, "eu-west-1", api_id="a1"))


class CountedIntegrations:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls = 0
        self.error = error

    def lambda_integrations(self, api_id: str) -> tuple[ApiIntegration, ...]:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return (ApiIntegration("ANY /", uri("prod")),)


def two_alias_aws() -> FakeAws:
    aws = FakeAws()
    aws.add_service(FN)
    aws.functions[FN].aliases = {
        "prod": AliasState("prod", "7", "r1"),
        "test": AliasState("test", "8", "r2"),
    }
    aws.stages["api0"] = dict(STAGES)
    return aws


def test_a_refused_read_is_kept_a_throttled_one_is_asked_again() -> None:
    ref = ServiceRef(
        FN,
        "eu-west-1",
        api_id="api0",
        live_alias="prod",
        candidate_alias="test",
        stage_variable="alias",
    )
    aws = two_alias_aws()
    for error, calls in (
        (CredentialError("access denied: apigateway:GET"), 1),
        (Throttled("x"), 3),
    ):
        port = CountedIntegrations(error)
        catalog = Catalog(aws, aws, aws, "eu-west-1", integrations=port)
        states = [catalog.read(ref) for _ in range(3)]
        assert port.calls == calls
        assert states[-1].routing_unreadable == str(error)
        assert states[-1].routing_problems == ()
    port = CountedIntegrations()
    catalog = Catalog(aws, aws, aws, "eu-west-1", integrations=port)
    assert catalog.read(ref).routing_problems[0].startswith("test stage does not route")


def test_metrics_of_a_mapped_stack_are_read_by_its_own_alias_names() -> None:
    """Lambda's `Resource` dimension filters by "function resource, such as function version or
    alias" (AWS Lambda Developer Guide, monitoring-metrics / monitoring-functions-metrics)."""
    from bgtui.core.metrics import plan_refresh
    from bgtui.core.models import ServiceState

    prod, test = AliasState("prod", "7", "r1"), AliasState("test", "8", "r2")
    state = ServiceState(REF, blue=prod, green=test, live=prod)
    plan = plan_refresh([state], {FN: ""}, {FN})
    resources = {dict(q.dimensions)["Resource"] for q in plan.queries}
    assert resources == {f"{FN}:prod", f"{FN}:test"}
