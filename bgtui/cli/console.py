"""`bgtui` with no command: the console, against the current AWS profile and region."""

from __future__ import annotations

import argparse

from bgtui.cli.options import service_for


def console(args: argparse.Namespace) -> int:
    from bgtui.app.first_read import FirstRead

    service = service_for(args, console=True)
    # The first services read runs while the interface is imported and mounted.
    first_read = FirstRead.start(service)

    from bgtui.app.context_switch import context_switcher
    from bgtui.ui.app import BgtuiApp

    backend = service.backend
    switcher = context_switcher(
        getattr(args, "config", None),
        bool(getattr(args, "read_only", False)),
        backend.audit_key,
        backend.settings.contexts,
    )
    app = BgtuiApp(backend, switcher=switcher, first_read=first_read)
    app.run()
    return int(app.return_code or 0)
