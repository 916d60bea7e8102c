"""From parsed global options to the settings and the release service commands work through."""

from __future__ import annotations

import argparse

from bgtui.app.service import ReleaseService
from bgtui.app.settings import Settings, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(
        getattr(args, "config", None),
        profile=getattr(args, "profile", None),
        region=getattr(args, "region", None),
        endpoint_url=getattr(args, "endpoint_url", None),
        read_only=getattr(args, "read_only", False),
        context=getattr(args, "context", None),
    )


def service_for(args: argparse.Namespace, console: bool = False) -> ReleaseService:
    from bgtui.adapters.keyring.audit_key import AuditKey
    from bgtui.app.wiring import build_service

    # The keyring is asked at the first audit write, not on the way to the first frame. A
    # command may ask for its passphrase on the terminal; the console asks in a modal.
    if console:
        key = AuditKey()
    else:
        from bgtui.adapters.keyring.passphrase import unlock_for_command

        key = AuditKey(unlock_locked=unlock_for_command)
    return build_service(settings_from(args), audit_key=key)
