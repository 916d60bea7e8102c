"""The OpenAPI validator moto's API Gateway needs only to import a document, loaded at first use:
an invalid document is still refused, a valid one still imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bgtui.emulator.patches import openapi_lazy

VALID = {
    "openapi": "3.0.0",
    "info": {"title": "imported", "description": "an imported API", "version": "1"},
    "paths": {},
}
# A fresh process, so moto's API Gateway is loaded with the stand-in whatever ran before here.
THROUGH_THE_EMULATOR = """
import json, sys
import boto3
from botocore.exceptions import ClientError
from bgtui.emulator.server import Emulator
with Emulator() as emulator:
    assert sys.modules["openapi_spec_validator"].__bgtui_stand_in__
    api = boto3.client("apigateway", endpoint_url=emulator.url, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    body = json.dumps(%r).encode()
    assert api.import_rest_api(failOnWarnings=True, body=body)["name"] == "imported"
    try:
        api.import_rest_api(failOnWarnings=True, body=b'{"openapi": "3.0.0", "info": {}}')
    except ClientError as refused:
        print(refused.response["ResponseMetadata"]["HTTPStatusCode"], refused.response["Error"])
"""


def test_the_stand_in_validates_with_the_real_validator() -> None:
    openapi_lazy.validate(VALID)
    with pytest.raises(openapi_lazy.OpenAPIValidationError) as refused:
        openapi_lazy.validate({"openapi": "3.0.0", "info": {}})
    assert "required property" in refused.value.message


def test_import_rest_api_still_validates_through_the_emulator() -> None:
    """ImportRestApi with failOnWarnings refuses an invalid document with 400 BadRequest
    (API Gateway API reference, ImportRestApi)."""
    done = subprocess.run(
        [sys.executable, "-c", THROUGH_THE_EMULATOR % (VALID,)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("400 ") and "Failed to parse the uploaded OpenAPI" in done.stdout
