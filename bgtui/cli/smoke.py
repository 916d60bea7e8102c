"""`bgtui test`: smoke checks against the idle colour, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bgtui.app.shapes import smoke_document
from bgtui.cli import render
from bgtui.cli.options import service_for
from bgtui.core.errors import EXIT_OK, EXIT_REFUSED


def smoke_test(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    service = service_for(args)
    report = service.smoke(service.find(args.function))
    if args.json:
        out.write(json.dumps(smoke_document(report), indent=2) + "\n")
    else:
        out.write(render.smoke_text(report))
    return EXIT_OK if report.passed else EXIT_REFUSED
