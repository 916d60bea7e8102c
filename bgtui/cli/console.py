"""`bgtui` with no command: the console, against the current AWS profile and region."""

from __future__ import annotations

import argparse

from bgtui.cli.options import service_for


def console(args: argparse.Namespace) -> int:
    from bgtui.app.first_read import FirstRead
    from bgtui.app.first_read_process import ForkedFirstRead

    # The first reads run while the interface is imported and mounted: in a child process on
    # the other core where a fork is safe, else on a thread.
    forked = ForkedFirstRead.start(lambda: service_for(args, console=True))
    service = service_for(args, console=True)
    first_read: FirstRead | ForkedFirstRead
    if forked is None:
        first_read = FirstRead.start(service)
    else:
        forked.answers_for(service)
        first_read = forked

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
