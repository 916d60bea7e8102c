"""The emulator tests use the shared emulator fixtures, loaded here if the root has not."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # A no-op when the root conftest already registered the plugin under this name.
    config.pluginmanager.import_plugin("tests.emulator_fixtures")
