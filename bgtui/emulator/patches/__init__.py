"""Fidelity patches that make moto answer like AWS where bgtui depends on it, applied once."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_applied = False


def apply_patches() -> None:
    """Configure moto and install every patch; safe to call any number of times."""
    global _applied
    with _lock:
        if _applied:
            return
        from bgtui.emulator.patches import (
            alias_revisions,
            iam_policies,
            invoke,
            log_stream_prefix,
            metrics,
            moto_config,
            openapi_lazy,
            publish,
            routing_speed,
        )

        moto_config.apply()
        openapi_lazy.apply()
        patches = (alias_revisions, invoke, publish, metrics, iam_policies, log_stream_prefix)
        for patch in (*patches, routing_speed):
            patch.apply()
        _applied = True
