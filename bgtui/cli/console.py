"""`bgtui` with no command: the console, against the current AWS profile and region."""

from __future__ import annotations

import argparse

from bgtui.cli.options import service_for


def console(args: argparse.Namespace) -> int:
    from bgtui.app.context_switch import context_switcher
    from bgtui.ui.app import BgtuiApp

    backend = service_for(args, console=True).backend
    switcher = context_switcher(
        getattr(args, "config", None),
        bool(getattr(args, "read_only", False)),
        backend.audit_key,
        backend.settings.contexts,
    )
    app = BgtuiApp(backend, switcher=switcher)
    app.run()
    return int(app.return_code or 0)
