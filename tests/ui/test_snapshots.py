"""What the main screens look like at 80x24 and 120x36, from fixed data and a fixed clock (SVG
snapshots): the services above the detail, every footer key whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from bgtui.app.backend import Backend
from bgtui.ui.app import BgtuiApp
from tests.ui.fake_backend import NOW, MetricsFakeAws, fake_backend
from tests.ui.fake_terraform import FakeTerraform
from tests.ui.helpers import select_service, settle

Compare = Callable[..., bool]


def keys_then_settle(*keys: str, service: str = ""):  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        if service:
            await select_service(pilot, service)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def console(backend: Backend) -> BgtuiApp:
    runner = FakeTerraform()
    return BgtuiApp(
        backend, demo=True, clock=lambda: NOW, refresh_seconds=0, terraform=lambda: runner
    )


def test_dashboard(snap_compare: Compare, backend: Backend) -> None:
    assert snap_compare(console(backend), run_before=keys_then_settle())


def test_dashboard_large(snap_compare: Compare, backend: Backend) -> None:
    app = console(backend)
    assert snap_compare(app, terminal_size=(120, 36), run_before=keys_then_settle())


def test_promote_confirmation(snap_compare: Compare, backend: Backend) -> None:
    backend.operations.run_smoke(backend.catalog.find("payments-api"))
    run = keys_then_settle("p", service="payments-api")
    assert snap_compare(console(backend), run_before=run)


def test_promote_confirmation_large(snap_compare: Compare, backend: Backend) -> None:
    backend.operations.run_smoke(backend.catalog.find("payments-api"))
    run = keys_then_settle("p", service="payments-api")
    assert snap_compare(console(backend), terminal_size=(120, 36), run_before=run)


def test_promote_confirmation_with_failed_gates(snap_compare: Compare, backend: Backend) -> None:
    backend.operations.run_smoke(backend.catalog.find("ledger-writer"))
    assert snap_compare(console(backend), run_before=keys_then_settle("p"))


def test_audit(snap_compare: Compare, backend: Backend) -> None:
    ops = backend.operations
    ops.run_smoke(ops.catalog.find("payments-api"))
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="CHG-1 release 2.3")
    ops.execute(change, "payments-api")
    assert snap_compare(console(backend), run_before=keys_then_settle("a"))


def test_help(snap_compare: Compare, backend: Backend) -> None:
    assert snap_compare(console(backend), run_before=keys_then_settle("question_mark"))


def test_terraform_view(snap_compare: Compare, backend: Backend) -> None:
    assert snap_compare(console(backend), run_before=keys_then_settle("f"))


def test_read_only_dashboard(
    snap_compare: Compare, aws: MetricsFakeAws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ui.fake_backend import read_only

    monkeypatch.setenv("NO_COLOR", "1")
    backend = fake_backend(aws, tmp_path, policy=read_only())
    assert snap_compare(console(backend), run_before=keys_then_settle())
