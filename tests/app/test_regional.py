"""The console's reads across several regions: rows keyed by region, each read where it lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.app.regional import RegionalServices, key_at, row_key, split_key
from bgtui.app.service import ReleaseService
from bgtui.core.errors import BgtuiError, CredentialsExpired, NotFound, Throttled
from bgtui.core.models import AliasState, ServiceRef
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend

WEST, EAST = "eu-west-1", "us-east-1"


def two_regions(tmp_path: Path) -> tuple[RegionalServices, MetricsFakeAws, MetricsFakeAws]:
    west, east = demo_aws(), demo_aws()
    first = ReleaseService(fake_backend(west, tmp_path, regions=(WEST, EAST)))
    return RegionalServices(first, [fake_backend(east, tmp_path, region=EAST)]), west, east


def test_a_row_key_is_the_function_alone_while_one_region_is_read() -> None:
    ref = ServiceRef("payments-api", WEST)
    assert row_key(ref, regional=False) == "payments-api"
    assert row_key(ref, regional=True) == "payments-api@eu-west-1"
    assert split_key(key_at("payments-api", EAST)) == ("payments-api", EAST)
    assert split_key("payments-api") == ("payments-api", "")


def test_one_region_is_its_service_and_builds_nothing(tmp_path: Path) -> None:
    service = ReleaseService(fake_backend(demo_aws(), tmp_path))
    regions = RegionalServices(service)
    assert not regions.regional and regions.services == (service,)
    assert regions.service_for(ServiceRef("payments-api", "elsewhere-1")) is service
    snapshot = regions.read_services("payments-api", (), (), 0)
    assert {s.ref.function for s in snapshot.states} == {"payments-api", "ledger-writer"}


def test_each_region_is_read_with_its_own_clients_and_keyed_apart(tmp_path: Path) -> None:
    regions, west, east = two_regions(tmp_path)
    aliases = east.list_aliases

    def refused_in_east(function: str) -> dict[str, AliasState]:
        if function == "ledger-writer":
            raise NotFound("function ledger-writer not found")
        return aliases(function)

    east.list_aliases = refused_in_east  # type: ignore[method-assign]
    snapshot = regions.read_services(key_at("payments-api", EAST), (), (), 0)
    read = sorted((s.ref.function, s.ref.region) for s in snapshot.states)
    assert read == [("ledger-writer", WEST), ("payments-api", WEST), ("payments-api", EAST)]
    assert list(snapshot.unreadable) == [key_at("ledger-writer", EAST)]
    assert isinstance(snapshot.unreadable[key_at("ledger-writer", EAST)], BgtuiError)
    assert "tag:GetResources" in west.calls and "tag:GetResources" in east.calls


def test_a_region_with_no_row_on_screen_is_not_swept(tmp_path: Path) -> None:
    regions, west, east = two_regions(tmp_path)
    on_screen = (key_at("payments-api", WEST), key_at("ledger-writer", WEST))
    west.calls.clear()
    east.calls.clear()
    snapshot = regions.read_services(on_screen[0], on_screen, on_screen, 0)
    assert {(s.ref.function, s.ref.region) for s in snapshot.states} == {
        ("payments-api", WEST),
        ("ledger-writer", WEST),
    }
    assert {r.region for r in snapshot.refs} == {WEST, EAST}  # its rows stay listed
    assert "lambda:ListAliases" in west.calls and "lambda:ListAliases" not in east.calls
    east.calls.clear()
    snapshot = regions.read_services(key_at("ledger-writer", EAST), on_screen, on_screen, 0)
    assert ("ledger-writer", EAST) in {(s.ref.function, s.ref.region) for s in snapshot.states}
    assert east.calls.count("lambda:ListAliases") == 1  # the selected row alone


def test_metrics_are_fetched_in_each_region_and_keyed_by_row(tmp_path: Path) -> None:
    regions, west, east = two_regions(tmp_path)
    states = regions.read_services("", (), (), 0).states
    full = {key_at("payments-api", EAST)}
    health = regions.read_health(states, full, lambda: NOW)
    assert set(health.windows) == {
        key_at(fn, region) for fn in ("payments-api", "ledger-writer") for region in (WEST, EAST)
    }
    assert health.full == frozenset(full)
    assert len(west.fetches) == 1 and len(east.fetches) == 1
    assert health.queries == west.fetches[0] + east.fetches[0]


def test_one_regions_metrics_failing_leaves_the_others_read(tmp_path: Path) -> None:
    regions, west, _ = two_regions(tmp_path)
    states = regions.read_services("", (), (), 0).states
    west.metrics_error = Throttled("Rate exceeded")
    health = regions.read_health(states, set(), lambda: NOW)
    assert set(health.windows) == {key_at(fn, EAST) for fn in ("payments-api", "ledger-writer")}
    assert health.regions_read == (EAST,)
    assert list(health.regions_failed) == [WEST]
    assert "Rate exceeded" in str(health.regions_failed[WEST])


def test_every_regions_metrics_failing_names_each_and_expired_credentials_raise(
    tmp_path: Path,
) -> None:
    regions, west, east = two_regions(tmp_path)
    states = regions.read_services("", (), (), 0).states
    west.metrics_error = east.metrics_error = Throttled("Rate exceeded")
    health = regions.read_health(states, set(), lambda: NOW)
    assert not health.windows and not health.regions_read
    assert set(health.regions_failed) == {WEST, EAST}
    east.metrics_error = CredentialsExpired("the security token has expired")
    with pytest.raises(CredentialsExpired):
        regions.read_health(states, set(), lambda: NOW)


def test_versions_and_actions_go_to_the_rows_region(tmp_path: Path) -> None:
    regions, west, east = two_regions(tmp_path)
    west.calls.clear()
    regions.versions(key_at("payments-api", EAST))
    assert "lambda:ListVersionsByFunction" in east.calls
    assert "lambda:ListVersionsByFunction" not in west.calls
    assert regions.service_for(ServiceRef("payments-api", EAST)).region == EAST
    assert regions.service_for(ServiceRef("payments-api", WEST)) is regions.first


def test_the_header_names_every_region_as_read(tmp_path: Path) -> None:
    regions, _, _ = two_regions(tmp_path)
    where = regions.whereabouts()
    assert where.regions == (WEST, EAST) and where.unread_regions == ()
    assert "not shown" not in where.region_text


@pytest.mark.parametrize("region", [WEST, EAST])
def test_credentials_are_reloaded_in_every_region(tmp_path: Path, region: str) -> None:
    regions, _, _ = two_regions(tmp_path)
    reloaded: list[str] = []
    for service in regions.services:
        service.backend.refresh_credentials = (  # type: ignore[method-assign]
            lambda r=service.region: reloaded.append(r)
        )
    regions.refresh_credentials()
    assert region in reloaded
