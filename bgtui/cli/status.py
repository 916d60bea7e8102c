"""`bgtui status`: services, versions, colours, the live pointer and health, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bgtui.app.adoption import adoption_progress, unfinished_adoptions
from bgtui.app.regions import regional_services, status_in_regions
from bgtui.app.service import ReleaseService
from bgtui.app.shapes import status_document
from bgtui.cli import render
from bgtui.cli.options import service_for
from bgtui.cli.progress import ProgressLine
from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import EXIT_OK, NotFound
from bgtui.core.plain_text import printable


def status(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    service = service_for(args)
    services = regional_services(service)
    progress = ProgressLine(sys.stderr)
    try:
        report = status_in_regions(services, args.function or "", progress.services)
    except NotFound as error:
        raise _with_adoption(error, service, args.function or "") from None
    finally:
        progress.close()
    _report_settled(report.settled)
    if not args.function:
        for line in unfinished_adoptions(service.backend.audit):
            sys.stderr.write(f"bgtui: {printable(line)}\n")
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


def _with_adoption(error: NotFound, service: ReleaseService, function: str) -> NotFound:
    """A function an adopt left half done is not a service yet: say where adopt stopped."""
    progress = adoption_progress(service.backend.audit, function) if function else ""
    return NotFound(f"{error}; {progress}") if progress else error
