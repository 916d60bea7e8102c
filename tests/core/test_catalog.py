"""Services found by their tags and configuration, and each service's state read as it is."""

from __future__ import annotations

import pytest

from bgtui.core.catalog import Catalog, ServiceOverride, ref_from_tags
from bgtui.core.errors import NotFound
from bgtui.core.models import SmokeCheck
from bgtui.core.ports import TaggedFunction
from tests.core.conftest import NOW
from tests.fakes import FakeAws


def tagged(**tags: str) -> TaggedFunction:
    return TaggedFunction("orders-fn", "arn:orders-fn", {"bluegreen:managed": "true", **tags})


def test_tags_fill_the_service_reference() -> None:
    ref = ref_from_tags(
        tagged(
            **{
                "bluegreen:service": "orders",
                "bluegreen:api-id": "a1",
                "bluegreen:test-stage": "qa",
            }
        ),
        "eu-west-1",
    )
    assert (ref.name, ref.api_id, ref.test_stage, ref.region) == ("orders", "a1", "qa", "eu-west-1")
    assert ref.production, "a service is production unless its environment says otherwise"


def test_unprintable_or_overlong_tag_values_are_ignored() -> None:
    ref = ref_from_tags(
        tagged(**{"bluegreen:service": "evil\x1b[2J", "bluegreen:api-id": "x" * 257}), "eu-west-1"
    )
    assert (ref.name, ref.api_id) == ("", "")


def test_a_non_production_environment_needs_no_typed_name() -> None:
    assert not ref_from_tags(tagged(**{"bluegreen:environment": "Staging"}), "r").production


def test_the_smoke_path_tag_adds_a_request_only_when_it_is_a_path() -> None:
    ref = ref_from_tags(tagged(**{"bluegreen:smoke-path": "/health"}), "r")
    assert ref.smoke_checks == (SmokeCheck(name="default", http_path="/health"),)
    for bad in ("health", "/a b", "/\x00"):
        assert ref_from_tags(tagged(**{"bluegreen:smoke-path": bad}), "r").smoke_checks == (
            SmokeCheck(),
        )


def test_discover_adds_configured_services_and_sorts_by_display_name(aws: FakeAws) -> None:
    overrides = [
        ServiceOverride("zeta-fn", {"name": "alpha"}),
        ServiceOverride("payments-api", {"test_stage": "qa"}),
    ]
    catalog = Catalog(aws, aws, aws, "eu-west-1", overrides=overrides)
    refs = catalog.discover()
    assert [r.display_name for r in refs] == ["alpha", "ledger-writer", "payments-api"]
    assert catalog.find("payments-api").test_stage == "qa"
    assert catalog.find("alpha").function == "zeta-fn", "found by its service name too"
    with pytest.raises(NotFound, match="no blue/green service named 'nope'"):
        catalog.find("nope")


def test_a_read_holds_aliases_stages_and_the_time_of_the_read(aws: FakeAws) -> None:
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)
    state = catalog.read(catalog.find("payments-api"), with_versions=True)
    assert (state.live_colour, state.live.version if state.live else None) == ("blue", "2")
    assert state.stage_alias("test") == "green"
    assert state.read_at == "2026-11-28T03:00:00Z"
    assert [v.version for v in state.versions] == ["3", "2", "1"]
    aws.calls.clear()
    catalog.read(catalog.find("payments-api"))
    assert "lambda:ListVersionsByFunction" not in aws.calls, "versions only when asked for"


def test_one_unreadable_service_does_not_hide_the_others(aws: FakeAws) -> None:
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)
    refs = catalog.discover()
    del aws.functions["ledger-writer"]
    ledger, payments = catalog.read_many(refs)
    assert isinstance(ledger, NotFound)
    assert not isinstance(payments, Exception) and payments.ref.function == "payments-api"
    assert catalog.read_many([]) == []


def test_an_unreachable_alarm_read_leaves_the_service_readable(aws: FakeAws) -> None:
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)
    aws.unreachable_on = {"cloudwatch:DescribeAlarms"}
    state = catalog.read(catalog.find("payments-api"))
    assert state.alarms == () and "could not reach" in state.alarms_unreadable


def test_a_read_of_many_tells_its_progress_once_a_service(aws: FakeAws) -> None:
    for n in range(25):
        aws.add_service(f"svc-{n:02d}")
    catalog = Catalog(aws, aws, aws, "eu-west-1", parallelism=4)
    told: list[int] = []
    states = catalog.read_many(catalog.discover(), told.append)
    assert len(states) == len(told) == len(catalog.discover())
    assert told == sorted(told) == list(range(1, len(told) + 1))
