"""The OpenAPI validator moto's API Gateway needs only to import a document, loaded at first use:
an invalid document is still refused, a valid one still imported."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from bgtui.emulator.patches import openapi_lazy

VALID = {
    "openapi": "3.0.0",
    "info": {"title": "imported", "description": "an imported API", "version": "1"},
    "paths": {},
}


def test_the_stand_in_validates_with_the_real_validator() -> None:
    openapi_lazy.validate(VALID)
    with pytest.raises(openapi_lazy.OpenAPIValidationError):
        openapi_lazy.validate({"openapi": "3.0.0", "info": {}})


def test_import_rest_api_still_validates_through_the_emulator(clean_emulator: str) -> None:
    apigateway = boto3.client("apigateway", endpoint_url=clean_emulator, region_name="us-east-1")
    imported = apigateway.import_rest_api(failOnWarnings=True, body=json.dumps(VALID).encode())
    assert imported["name"] == "imported"
    with pytest.raises(ClientError) as refused:
        apigateway.import_rest_api(failOnWarnings=True, body=b'{"openapi": "3.0.0", "info": {}}')
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
