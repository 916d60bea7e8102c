"""`bgtui status`: services, versions, colours, the live pointer and health, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bgtui.app.regions import regional_services, status_in_regions
from bgtui.app.shapes import status_document
from bgtui.cli import render
from bgtui.cli.options import service_for
from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import EXIT_OK
from bgtui.core.plain_text import printable


def status(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    services = regional_services(service_for(args))
    report = status_in_regions(services, args.function or "")
    _report_settled(report.settled)
    if args.json:
        out.write(json.dumps(status_document(report.read), indent=2) + "\n")
    else:
        out.write(render.status_table(report.read, by_region=len(services) > 1))
    return report.unreadable[0].exit_code if report.unreadable else EXIT_OK


def _report_settled(settled: tuple[AuditRecord, ...]) -> None:
    """Tell the operator what became of operations whose outcome had been unknown."""
    for record in settled:
        verdict = render.SETTLED.get(record.applied, render.SETTLED[None])
        sys.stderr.write(
            f"bgtui: {printable(record.function)}: the operation in audit record "
            f"{record.reconciles} had an unknown outcome: {verdict}\n"
        )
