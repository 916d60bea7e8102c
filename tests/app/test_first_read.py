"""The console's first services read, made before the console is on screen, taken once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.app.first_read import FirstRead
from bgtui.app.service import ReleaseService
from bgtui.core.errors import BgtuiError
from tests.ui.fake_backend import MetricsFakeAws, demo_aws, fake_backend

NOTHING = frozenset[str]()


@pytest.fixture
def aws() -> MetricsFakeAws:
    return demo_aws()


@pytest.fixture
def service(aws: MetricsFakeAws, tmp_path: Path) -> ReleaseService:
    return ReleaseService(fake_backend(aws, tmp_path))


def reads(aws: MetricsFakeAws) -> int:
    return aws.calls.count("lambda:ListAliases")


def test_the_first_refresh_takes_the_answer_read_ahead_without_asking_again(
    service: ReleaseService, aws: MetricsFakeAws
) -> None:
    first = FirstRead.start(service)
    snapshot = first.take(ReleaseService(service.backend), "", (), NOTHING, 0)
    assert snapshot is not None
    assert sorted(s.ref.function for s in snapshot.states) == ["ledger-writer", "payments-api"]
    assert reads(aws) == 2, "one ListAliases per service, read once"
    assert first.take(service, "", (), NOTHING, 0) is None, "a second refresh reads anew"


def test_another_read_or_another_backend_is_not_answered_from_it(
    service: ReleaseService, aws: MetricsFakeAws, tmp_path: Path
) -> None:
    first = FirstRead.start(service)
    assert first.take(service, "payments-api", (), NOTHING, 0) is None
    assert first.take(service, "", ("payments-api",), NOTHING, 0) is None
    other = ReleaseService(fake_backend(demo_aws(), tmp_path / "other"))
    assert first.take(other, "", (), NOTHING, 0) is None
    assert first.take(service, "", (), NOTHING, 0) is not None


def test_what_the_read_ahead_raised_is_raised_by_the_refresh_that_takes_it(
    service: ReleaseService, aws: MetricsFakeAws
) -> None:
    aws.unreachable_on.add("tag:GetResources")
    first = FirstRead.start(service)
    with pytest.raises(BgtuiError, match="could not reach"):
        first.take(service, "", (), NOTHING, 0)
