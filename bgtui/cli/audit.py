"""`bgtui audit`: show or verify the local audit trail, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bgtui.app.shapes import audit_document, team_document, verify_document
from bgtui.app.wiring import audit_reader
from bgtui.cli import render
from bgtui.cli.options import service_for, settings_from
from bgtui.core.errors import EXIT_OK, EXIT_REFUSED
from bgtui.core.logs import parse_since
from bgtui.core.plain_text import printable


def audit(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if args.team:
        return team(args, out)
    reader = audit_reader(settings_from(args))
    if args.verify:
        report = reader.verify()
        if args.json:
            out.write(json.dumps(verify_document(report), indent=2) + "\n")
        else:
            out.write(printable(report.summary()) + "\n")
        return EXIT_OK if report.ok else EXIT_REFUSED
    records = reader.records(args.function or "")
    if args.json:
        out.write(json.dumps(audit_document(records), indent=2, sort_keys=True) + "\n")
    else:
        out.write(render.audit_table(records))
    return EXIT_OK


def team(args: argparse.Namespace, out: TextIO) -> int:
    """Every operator's records; exit 1 when any host's chain shows an edit or a break."""
    window = parse_since(args.since)
    trail = service_for(args).team_audit(args.function or "", window)
    if args.json:
        out.write(json.dumps(team_document(trail), indent=2, sort_keys=True) + "\n")
    else:
        out.write(render.team_table(trail))
    return EXIT_OK if trail.ok else EXIT_REFUSED
