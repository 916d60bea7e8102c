"""`bgtui` with no command: the console, against the current AWS profile and region."""

from __future__ import annotations

import argparse

from bgtui.cli.options import service_for


def console(args: argparse.Namespace) -> int:
    from bgtui.ui.app import BgtuiApp

    app = BgtuiApp(service_for(args, console=True).backend)
    app.run()
    return int(app.return_code or 0)
