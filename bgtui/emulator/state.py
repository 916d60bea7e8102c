"""Clearing all emulated AWS state at once: moto backends, runtime overrides, parsed packages."""

from __future__ import annotations

from typing import Any

from moto.core.base_backend import BackendDict, backend_lock
from moto.core.model_instances import reset_model_data

from bgtui.emulator.behaviour import OVERRIDES
from bgtui.emulator.lambda_versions import forget_packages
from bgtui.emulator.python_runtime import PACKAGES


def clear_all_state() -> None:
    """Drop every backend; moto recreates each one lazily on its next request.

    moto's own reset re-initialises every backend before discarding it, which costs more than a
    second (each IAM backend re-reads the managed policies); dropping them is enough.
    """
    services: list[Any] = BackendDict._instances  # type: ignore[misc]
    with backend_lock:
        for service in services:
            for account in service.values():
                dict.clear(account)
            service.clear()
        services.clear()
    reset_model_data()
    OVERRIDES.clear()
    forget_packages()
    PACKAGES.clear()
