"""The console's first refresh takes the services read before it was on screen."""

from __future__ import annotations

from pathlib import Path

from bgtui.app.first_read import FirstRead
from bgtui.app.service import ReleaseService
from bgtui.ui.app import BgtuiApp
from tests.ui.fake_backend import NOW, MetricsFakeAws, fake_backend
from tests.ui.helpers import settle


async def test_the_first_refresh_shows_the_read_made_ahead_and_does_not_repeat_it(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    backend = fake_backend(aws, tmp_path)
    first = FirstRead.start(ReleaseService(backend))
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, first_read=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert set(app.model.known) == {"payments-api", "ledger-writer"}
        assert aws.calls.count("tag:GetResources") == 1
        assert aws.fetches, "the metrics follow the services read ahead"
        app.refresh_now()
        await settle(pilot)
        assert aws.calls.count("tag:GetResources") == 2, "the next refresh reads anew"


async def test_reads_the_first_frame_does_not_show_wait_for_it(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    """Who the operator is and the selected service's versions are read once the first data is
    painted: building their clients (and loading the SDK) would slow that frame down."""
    backend = fake_backend(aws, tmp_path)
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0)
    painted_after: list[str] = []
    real = app._data_shown

    def noted() -> None:
        painted_after.extend(aws.calls)
        real()

    app._data_shown = noted  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.first_data_painted is not None
        assert "sts:GetCallerIdentity" not in painted_after
        assert "lambda:ListVersionsByFunction" not in painted_after
        assert "sts:GetCallerIdentity" in aws.calls, "read after the first data"
        assert "lambda:ListVersionsByFunction" in aws.calls
