"""The emulator's own routes, over HTTP, and their client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bgtui.core.errors import AwsError, EndpointUnreachable, NotFound
from bgtui.demo.code import BROKEN
from bgtui.demo.stack import provision_service
from bgtui.emulator.behaviour import Behaviour
from bgtui.emulator.control import PREFIX
from bgtui.emulator.control_client import EmulatorControl


@pytest.fixture
def control(clean_emulator: str) -> EmulatorControl:
    provision_service(clean_emulator, "orders", versions=1, broken_candidate=True)
    return EmulatorControl(clean_emulator)


def test_behaviours_are_read_for_versions_and_aliases(control: EmulatorControl) -> None:
    found = control.behaviours("us-east-1", [("orders", "1"), ("orders", "green"), ("orders", "9")])
    assert found == {("orders", "1"): Behaviour(), ("orders", "green"): BROKEN}


def test_health_switches_are_answered_with_the_new_behaviour(control: EmulatorControl) -> None:
    assert control.set_health("us-east-1", "orders", "live", healthy=False) == Behaviour(
        healthy=False
    )
    assert not control.behaviours("us-east-1", [("orders", "1")])[("orders", "1")].healthy


def test_switching_an_unknown_version_is_not_found(control: EmulatorControl) -> None:
    with pytest.raises(NotFound, match="no version 7 of orders"):
        control.set_health("us-east-1", "orders", "7", healthy=False)


def test_reset_over_http_clears_everything(control: EmulatorControl) -> None:
    control.reset()
    assert control.behaviours("us-east-1", [("orders", "1")]) == {}


def _raw(url: str, method: str, route: str, body: bytes) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(f"{url}{PREFIX}{route}", data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.parametrize(
    ("method", "route", "body", "status"),
    [
        ("GET", "nowhere", b"", 404),
        ("POST", "behaviours", b"{not json", 400),
        ("POST", "behaviours", b"[1]", 400),
        ("POST", "behaviours", b'{"versions": [1]}', 400),
        ("PUT", "behaviour", b'{"function": "orders", "version": "1", "healthy": "no"}', 400),
    ],
)
def test_bad_requests_get_a_status_and_a_message(
    clean_emulator: str, method: str, route: str, body: bytes, status: int
) -> None:
    code, doc = _raw(clean_emulator, method, route, body)
    assert code == status and doc["message"]


def test_an_unreachable_emulator_is_reported() -> None:
    with pytest.raises(EndpointUnreachable):
        EmulatorControl("http://127.0.0.1:9", timeout_s=2).reset()


def test_client_errors_are_bgtui_errors(clean_emulator: str) -> None:
    with pytest.raises(AwsError):
        EmulatorControl(clean_emulator)._call("PUT", "behaviour", {"healthy": 1})
