"""Lambda and API Gateway for adopt: read a stack as it is, add the blue/green pieces."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.adopting import ADOPTED_ALIASES, FUNCTION_LOG_GROUP, Integration, Survey
from bgtui.core.errors import NotFound

MAX_APIS_SCANNED = 500
"""REST APIs looked through for one invoking the function, when no --api-id is given."""
DEFAULT_TIMEOUT_MS = 29000
_INTEGRATION_FIELDS = (
    "type",
    "credentials",
    "requestParameters",
    "requestTemplates",
    "passthroughBehavior",
    "cacheNamespace",
    "cacheKeyParameters",
    "contentHandling",
    "timeoutInMillis",
    "connectionType",
    "connectionId",
)


class AwsAdoption:
    """AdoptionPort over Lambda and API Gateway."""

    def __init__(self, context: AwsContext) -> None:
        self._aws = context

    def apis_invoking(self, function: str) -> list[str]:
        apigateway = self._aws.client("apigateway")
        with aws_errors("list", "REST APIs", service="apigateway"):
            apis = apigateway.get_rest_apis(limit=MAX_APIS_SCANNED).get("items", [])
        return [
            api["id"]
            for api in apis
            if any(i.target and i.target[0] == function for i in self._integrations(api["id"]))
        ]

    def survey(self, function: str, api_id: str) -> Survey:
        lam = self._aws.client("lambda")
        with aws_errors("read", f"function {function}", service="lambda"):
            config: Mapping[str, Any] = lam.get_function(FunctionName=function)["Configuration"]
            arn = config["FunctionArn"]
            tags = lam.list_tags(Resource=arn).get("Tags", {})
            pages = lam.get_paginator("list_aliases").paginate(FunctionName=function)
            aliases = {a["Name"]: a["FunctionVersion"] for p in pages for a in p["Aliases"]}
        apigateway = self._aws.client("apigateway")
        with aws_errors("read", f"REST API {api_id}", service="apigateway"):
            api_name = apigateway.get_rest_api(restApiId=api_id).get("name", "")
            stages = apigateway.get_stages(restApiId=api_id).get("item", [])
        return Survey(
            function=function,
            function_arn=arn,
            api_id=api_id,
            api_name=api_name,
            aliases=aliases,
            tags=dict(tags),
            stages={s["stageName"]: dict(s.get("variables") or {}) for s in stages},
            stage_deployments={
                s["stageName"]: self._deployment_description(api_id, s.get("deploymentId", ""))
                for s in stages
            },
            integrations=self._integrations(api_id),
            permissions={a: self._statements(function, a) for a in ADOPTED_ALIASES if a in aliases},
            settings={**_settings(config, stages), **self._log_groups(function)},
        )

    def create_alias(self, function: str, alias: str, version: str, description: str) -> None:
        lam = self._aws.write_client("lambda")
        with aws_errors("create", f"alias {alias} of {function}", service="lambda", mutation=True):
            lam.create_alias(
                FunctionName=function, Name=alias, FunctionVersion=version, Description=description
            )

    def add_permission(self, function: str, alias: str, statement_id: str, api_id: str) -> None:
        lam = self._aws.write_client("lambda")
        resource = f"the policy of {function}:{alias}"
        with aws_errors("add a statement to", resource, service="lambda", mutation=True):
            arn = lam.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
            partition, region, account = (arn.split(":")[i] for i in (1, 3, 4))
            source = f"arn:{partition}:execute-api:{region}:{account}:{api_id}/*/*"
            lam.add_permission(
                FunctionName=function,
                Qualifier=alias,
                StatementId=statement_id,
                Action="lambda:InvokeFunction",
                Principal="apigateway.amazonaws.com",
                SourceArn=source,
            )

    def set_stage_variable(self, api_id: str, stage: str, name: str, value: str) -> None:
        apigateway = self._aws.client("apigateway")
        resource = f"stage {stage} of REST API {api_id}"
        with aws_errors(f"set {name}={value} on", resource, service="apigateway", mutation=True):
            apigateway.update_stage(
                restApiId=api_id,
                stageName=stage,
                patchOperations=[{"op": "replace", "path": f"/variables/{name}", "value": value}],
            )

    def route_integration(self, api_id: str, integration: Integration, uri: str) -> None:
        apigateway = self._aws.client("apigateway")
        where = f"integration {integration.method} {integration.path} of REST API {api_id}"
        with aws_errors("route", where, service="apigateway", mutation=True):
            current: Mapping[str, Any] = apigateway.get_integration(
                restApiId=api_id, resourceId=integration.resource_id, httpMethod=integration.method
            )
            kept = {k: current[k] for k in _INTEGRATION_FIELDS if current.get(k) not in (None, "")}
            # GetIntegration names the integration's own method httpMethod (botocore's model,
            # shape Integration); PutIntegration takes it as integrationHttpMethod.
            if current.get("httpMethod"):
                kept["integrationHttpMethod"] = current["httpMethod"]
            # An integration read without a timeout has API Gateway's default (botocore's
            # model, PutIntegrationRequest.timeoutInMillis: 50 to 29,000, default 29,000).
            kept.setdefault("timeoutInMillis", DEFAULT_TIMEOUT_MS)
            # API Gateway has no partial update of the URI that every emulator serves; putting
            # the integration again with its own fields changes the URI only.
            apigateway.put_integration(
                restApiId=api_id,
                resourceId=integration.resource_id,
                httpMethod=integration.method,
                uri=uri,
                **kept,
            )

    def redeploy(self, api_id: str, stages: Sequence[str], description: str) -> str:
        apigateway = self._aws.client("apigateway")
        where = f"REST API {api_id}"
        with aws_errors("deploy", where, service="apigateway", mutation=True):
            # A deployment made with a stage name would replace that stage's variables.
            deployment = apigateway.create_deployment(restApiId=api_id, description=description)
            for stage in stages:
                apigateway.update_stage(
                    restApiId=api_id,
                    stageName=stage,
                    patchOperations=[
                        {"op": "replace", "path": "/deploymentId", "value": deployment["id"]}
                    ],
                )
        return str(deployment["id"])

    def tag_function(self, function_arn: str, tags: Mapping[str, str]) -> None:
        lam = self._aws.client("lambda")
        with aws_errors("tag", function_arn, service="lambda", mutation=True):
            lam.tag_resource(Resource=function_arn, Tags=dict(tags))

    def _integrations(self, api_id: str) -> tuple[Integration, ...]:
        apigateway = self._aws.client("apigateway")
        with aws_errors("read the resources of", f"REST API {api_id}", service="apigateway"):
            pages = apigateway.get_paginator("get_resources").paginate(restApiId=api_id)
            resources = [r for page in pages for r in page.get("items", [])]
            found = []
            for resource in sorted(resources, key=lambda r: str(r.get("path", ""))):
                for method in sorted(resource.get("resourceMethods") or {}):
                    uri = self._integration_uri(api_id, resource["id"], method)
                    found.append(Integration(resource["id"], resource["path"], method, uri))
        return tuple(found)

    def _integration_uri(self, api_id: str, resource_id: str, method: str) -> str:
        apigateway = self._aws.client("apigateway")
        try:
            with aws_errors("read an integration of", f"REST API {api_id}", service="apigateway"):
                answer = apigateway.get_integration(
                    restApiId=api_id, resourceId=resource_id, httpMethod=method
                )
        except NotFound:
            return ""
        return str(answer.get("uri", ""))

    def _log_groups(self, function: str) -> dict[str, str]:
        """The function's log group when Lambda made it already: the module then imports it."""
        name = f"/aws/lambda/{function}"
        logs = self._aws.client("logs")
        with aws_errors("read", f"log group {name}", service="logs"):
            groups = logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
        found = any(g.get("logGroupName") == name for g in groups)
        return {FUNCTION_LOG_GROUP: name} if found else {}

    def _deployment_description(self, api_id: str, deployment_id: str) -> str:
        if not deployment_id:
            return ""
        apigateway = self._aws.client("apigateway")
        answer = apigateway.get_deployment(restApiId=api_id, deploymentId=deployment_id)
        return str(answer.get("description", ""))

    def _statements(self, function: str, alias: str) -> frozenset[str]:
        lam = self._aws.client("lambda")
        try:
            with aws_errors("read the policy of", f"{function}:{alias}", service="lambda"):
                policy = lam.get_policy(FunctionName=function, Qualifier=alias)["Policy"]
        except NotFound:
            return frozenset()
        statements = json.loads(policy).get("Statement", [])
        return frozenset(str(s.get("Sid", "")) for s in statements)


def _settings(config: Mapping[str, Any], stages: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """What the Terraform module call must repeat so a plan after the import changes nothing."""
    tracing = any(bool(s.get("tracingEnabled")) for s in stages)
    return {
        "handler": str(config.get("Handler", "")),
        "runtime": str(config.get("Runtime", "")),
        "role": str(config.get("Role", "")),
        "memory_size": str(config.get("MemorySize", 128)),
        "timeout": str(config.get("Timeout", 3)),
        "architectures": json.dumps(list(config.get("Architectures") or ["x86_64"])),
        "tracing_mode": str((config.get("TracingConfig") or {}).get("Mode", "PassThrough")),
        "xray_tracing_enabled": json.dumps(tracing),
    }
