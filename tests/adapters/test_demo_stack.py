"""The adapters on the emulator's demo stack: the services found, the broken candidate seen."""

from __future__ import annotations

import json

import pytest

from bgtui.adapters.aws.lambda_functions import LambdaFunctions
from bgtui.adapters.aws.session import AwsContext

DEMO_FUNCTIONS = {"payments-api", "ledger-writer", "fx-rates"}


@pytest.fixture
def functions(demo: AwsContext) -> LambdaFunctions:
    return LambdaFunctions(demo, sleep=lambda _: None)


def test_discover_finds_the_demo_services_with_their_tags(functions: LambdaFunctions) -> None:
    found = {tagged.function: tagged.tags for tagged in functions.discover()}
    assert set(found) == DEMO_FUNCTIONS
    assert found["payments-api"]["bluegreen:environment"] == "demo"
    assert found["payments-api"]["bluegreen:alarm-prefix"] == "payments-api-"


def test_the_broken_candidate_answers_with_a_function_error(functions: LambdaFunctions) -> None:
    green = functions.get_alias("ledger-writer", "green")
    broken = functions.invoke("ledger-writer", "green", b'{"bluegreen": "smoke"}')
    assert broken.function_error == "Unhandled"
    assert broken.executed_version == green.version
    healthy = functions.invoke("ledger-writer", "blue", b'{"bluegreen": "smoke"}')
    assert healthy.function_error == ""
    assert json.loads(json.loads(healthy.payload)["body"])["ok"] is True
