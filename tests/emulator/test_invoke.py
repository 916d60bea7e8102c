"""Lambda Invoke answers per version: healthy payloads, Unhandled errors, runtime switches."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bgtui.demo.stack import provision_service
from bgtui.emulator.clients import EmulatorClients
from bgtui.emulator.server import Emulator


@pytest.fixture(scope="module")
def lambda_(emulator: Emulator) -> Any:
    """Provisioned once; tests that switch health restore it."""
    emulator.reset()
    provision_service(emulator.url, "orders", versions=2, broken_candidate=True)
    return EmulatorClients(emulator.url).lambda_


def _invoke(lambda_: Any, qualifier: str, **extra: Any) -> tuple[dict[str, Any], Any]:
    answer = lambda_.invoke(FunctionName="orders", Qualifier=qualifier, Payload=b"{}", **extra)
    raw = answer["Payload"].read()
    return answer, json.loads(raw) if raw else None


def test_a_healthy_version_answers_200_with_its_version(lambda_: Any) -> None:
    answer, payload = _invoke(lambda_, "blue")
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    assert answer["ExecutedVersion"] == "2"
    assert payload == {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-Bgtui-Version": "2"},
        "body": '{"ok": true, "version": "2"}',
    }


def test_a_broken_version_fails_unhandled_like_lambda(lambda_: Any) -> None:
    answer, payload = _invoke(lambda_, "green")
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled" and answer["ExecutedVersion"] == "3"
    assert payload["errorType"] == "KeyError" and payload["errorMessage"] == "'amount'"
    assert payload["requestId"] and payload["stackTrace"]


@pytest.mark.parametrize(
    ("qualifier", "version"), [("live", "2"), ("1", "1"), ("$LATEST", "$LATEST")]
)
def test_qualifiers_resolve_to_the_executed_version(
    lambda_: Any, qualifier: str, version: str
) -> None:
    assert _invoke(lambda_, qualifier)[0]["ExecutedVersion"] == version


def test_the_qualifier_may_be_part_of_the_name(lambda_: Any) -> None:
    answer = lambda_.invoke(FunctionName="orders:green", Payload=b"{}")
    assert answer["ExecutedVersion"] == "3" and answer["FunctionError"] == "Unhandled"


def test_an_unknown_qualifier_is_not_found(lambda_: Any) -> None:
    with pytest.raises(ClientError) as missing:
        _invoke(lambda_, "purple")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_tail_log_reports_the_request(lambda_: Any) -> None:
    answer, _ = _invoke(lambda_, "green", LogType="Tail")
    log = base64.b64decode(answer["LogResult"]).decode()
    assert "START RequestId:" in log and "[ERROR] KeyError: 'amount'" in log


def test_asynchronous_invocations_are_accepted_without_a_payload(lambda_: Any) -> None:
    answer, payload = _invoke(lambda_, "green", InvocationType="Event")
    assert answer["StatusCode"] == 202 and payload is None
    assert _invoke(lambda_, "blue", InvocationType="DryRun")[0]["StatusCode"] == 204


def test_switching_health_at_runtime_changes_the_answers(emulator: Emulator, lambda_: Any) -> None:
    try:
        emulator.set_health("orders", "2", healthy=False)
        assert _invoke(lambda_, "live")[0]["FunctionError"] == "Unhandled"
        emulator.set_health("orders", "3", healthy=True)
        answer, payload = _invoke(lambda_, "green")
        assert "FunctionError" not in answer and payload["statusCode"] == 200
    finally:
        emulator.set_health("orders", "2", healthy=True)
        emulator.set_health("orders", "3", healthy=False)
    assert "FunctionError" not in _invoke(lambda_, "blue")[0]
    assert _invoke(lambda_, "green")[0]["FunctionError"] == "Unhandled"
