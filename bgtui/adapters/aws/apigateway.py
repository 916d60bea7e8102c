"""API Gateway through boto3: a REST API's stages and integrations; point a stage at an alias."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.session import AwsContext, is_aws_endpoint
from bgtui.core.errors import BadInput
from bgtui.core.models import STAGE_VARIABLE, StageState
from bgtui.core.routing import ApiIntegration

_ALIAS_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
RESOURCES_PAGE = 500
"""GetResources' largest page: most APIs are read in one call."""


class ApiGatewayStages:
    """StagesPort over API Gateway REST APIs."""

    def __init__(self, context: AwsContext) -> None:
        self._aws = context

    def get_stages(self, api_id: str) -> dict[str, StageState]:
        apigateway = self._aws.client("apigateway")
        with aws_errors("read the stages of", f"REST API {api_id}", service="apigateway"):
            answer = apigateway.get_stages(restApiId=api_id)
        stages = [self._stage_state(api_id, item) for item in answer.get("item", [])]
        return {stage.name: stage for stage in stages}

    def lambda_integrations(self, api_id: str) -> tuple[ApiIntegration, ...]:
        """Every method's Lambda integration, from GetResources with its methods embedded (one
        call per 500 resources) rather than one GetIntegration per method."""
        apigateway = self._aws.client("apigateway")
        pages = apigateway.get_paginator("get_resources").paginate(
            restApiId=api_id, embed=["methods"], PaginationConfig={"PageSize": RESOURCES_PAGE}
        )
        found: list[ApiIntegration] = []
        with aws_errors("read the integrations of", f"REST API {api_id}", service="apigateway"):
            for page in pages:
                for resource in page.get("items", []):
                    found += _lambda_methods(resource)
        return tuple(found)

    def point_stage(
        self, api_id: str, stage: str, alias: str, variable: str = STAGE_VARIABLE
    ) -> StageState:
        """Set the stage variable (`lambdaAlias` unless mapped); the deployment stays."""
        if not _ALIAS_NAME.match(alias):
            raise BadInput(f"{alias!r} is not a Lambda alias name")
        # Replacing a variable with a value is idempotent, so the retrying client is safe here.
        apigateway = self._aws.client("apigateway")
        resource = f"stage {stage} of REST API {api_id}"
        with aws_errors(
            f"point {variable}={alias} on", resource, service="apigateway", mutation=True
        ):
            answer = apigateway.update_stage(
                restApiId=api_id,
                stageName=stage,
                patchOperations=[
                    {"op": "replace", "path": f"/variables/{variable}", "value": alias}
                ],
            )
        return self._stage_state(api_id, answer)

    def _stage_state(self, api_id: str, stage: Mapping[str, Any]) -> StageState:
        name = stage["stageName"]
        variables = dict(stage.get("variables") or {})
        url = self._invoke_url(api_id, name)
        deployment = str(stage.get("deploymentId", ""))
        return StageState(name, variables.get(STAGE_VARIABLE), url, variables, deployment)

    def _invoke_url(self, api_id: str, stage: str) -> str:
        client = self._aws.client("apigateway")
        if not is_aws_endpoint(client):
            return emulated_invoke_url(client.meta.endpoint_url, api_id, stage)
        domain = "amazonaws.com.cn" if self._aws.region.startswith("cn-") else "amazonaws.com"
        return f"https://{api_id}.execute-api.{self._aws.region}.{domain}/{stage}"


def _lambda_methods(resource: Mapping[str, Any]) -> list[ApiIntegration]:
    found = []
    for verb, method in (resource.get("resourceMethods") or {}).items():
        integration = method.get("methodIntegration") or {}
        uri = str(integration.get("uri", ""))
        if integration.get("type") in ("AWS", "AWS_PROXY") and ":lambda:path/" in uri:
            found.append(ApiIntegration(f"{verb} {resource.get('path', '?')}", uri))
    return found


def emulated_invoke_url(endpoint_url: str, api_id: str, stage: str) -> str:
    """Where an emulator serves a stage: moto's and LocalStack's path form, since they do not
    serve execute-api host names."""
    return f"{endpoint_url.rstrip('/')}/restapis/{api_id}/{stage}/_user_request_"
