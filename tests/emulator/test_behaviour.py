"""A version's declared behaviour, and runtime health switches."""

from __future__ import annotations

import io
import zipfile

import pytest

from bgtui.demo.code import BROKEN, demo_package
from bgtui.emulator.behaviour import (
    BROKEN_P99_MS,
    DEFAULT_ERROR,
    HEALTHY_P99_MS,
    Behaviour,
    HealthOverrides,
    read_behaviour,
)


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in files.items():
            # A fixed time: the same bytes in every process (pytest-xdist's workers each build
            # the parameters below and must collect the same tests).
            package.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def test_a_package_without_the_file_is_healthy() -> None:
    assert read_behaviour(_zip({"index.py": "x = 1"})) == Behaviour()


def test_the_file_declares_a_broken_version() -> None:
    doc = '{"healthy": false, "error": "KeyError: \'amount\'", "latency_ms": 900}'
    found = read_behaviour(_zip({"bgtui-demo.json": doc}))
    assert found == Behaviour(healthy=False, error="KeyError: 'amount'", latency_ms=900.0)
    assert (found.error_type, found.error_message) == ("KeyError", "'amount'")


@pytest.mark.parametrize(
    "package",
    [b"not a zip", _zip({"bgtui-demo.json": "{oops"})],
    ids=["not-a-zip", "unreadable-json"],
)
def test_unreadable_packages_count_as_healthy(package: bytes) -> None:
    assert read_behaviour(package).healthy


def test_an_error_without_a_type_is_reported_as_exception() -> None:
    assert (Behaviour(False, "boom").error_type, Behaviour(False, "boom").error_message) == (
        "Exception",
        "boom",
    )
    assert Behaviour(False).failure == DEFAULT_ERROR


def test_default_latency_is_stable_per_version_and_in_range() -> None:
    healthy, broken = Behaviour(), Behaviour(healthy=False)
    assert healthy.p99_ms("fn:3") == healthy.p99_ms("fn:3")
    assert HEALTHY_P99_MS[0] <= healthy.p99_ms("fn:3") <= HEALTHY_P99_MS[1]
    assert BROKEN_P99_MS[0] <= broken.p99_ms("fn:3") <= BROKEN_P99_MS[1]
    assert Behaviour(latency_ms=42).p99_ms("fn:3") == 42


def test_switching_health_drops_the_declared_latency_but_keeps_the_error() -> None:
    healthy = BROKEN.with_health(True)
    assert healthy == Behaviour(healthy=True, error=BROKEN.error)
    assert BROKEN.with_health(False) is BROKEN


def test_overrides_apply_per_version_until_cleared() -> None:
    overrides = HealthOverrides()
    key = ("us-east-1", "fn", "2")
    overrides.set(key, False)
    assert not overrides.apply(key, Behaviour()).healthy
    assert overrides.apply(("us-east-1", "fn", "1"), Behaviour()).healthy
    overrides.clear()
    assert overrides.apply(key, Behaviour()).healthy


def test_demo_packages_round_trip_and_are_reproducible() -> None:
    assert read_behaviour(demo_package("fn", 3, BROKEN)) == BROKEN
    assert read_behaviour(demo_package("fn", 3)) == Behaviour()
    assert demo_package("fn", 3, BROKEN) == demo_package("fn", 3, BROKEN)
    assert demo_package("fn", 3) != demo_package("fn", 4)
