"""UI fixtures: a fake AWS with two services and fixed metrics, and a console over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.app.backend import Backend
from bgtui.ui.app import BgtuiApp
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend


@pytest.fixture
def aws() -> MetricsFakeAws:
    return demo_aws()


@pytest.fixture
def backend(aws: MetricsFakeAws, tmp_path: Path) -> Backend:
    return fake_backend(aws, tmp_path)


@pytest.fixture
def app(backend: Backend) -> BgtuiApp:
    return BgtuiApp(backend, demo=True, clock=lambda: NOW, refresh_seconds=0)
