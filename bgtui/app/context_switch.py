"""Another context's backend, built from the configuration as `--context NAME` would build it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bgtui.adapters.keyring.audit_key import AuditKey
from bgtui.app.backend import Backend
from bgtui.app.contexts import Context
from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend


@dataclass(frozen=True)
class ContextSwitcher:
    """What the console's switcher offers, and how it builds the backend of the one chosen."""

    contexts: tuple[Context, ...]
    build: Callable[[str], Backend]
    """Blocking (reads the configuration, builds clients): call it in a worker."""


def context_switcher(
    config: Path | None, read_only: bool, audit_key: AuditKey | None, contexts: tuple[Context, ...]
) -> ContextSwitcher:
    """The file is read again at each switch; `--read-only` holds in every context."""

    def build(name: str) -> Backend:
        settings = load_settings(config, read_only=read_only or None, context=name)
        return build_backend(settings, audit_key=audit_key)

    return ContextSwitcher(contexts, build)
