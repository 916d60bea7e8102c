"""`bgtui evidence`: write a promote's release record, or verify one against the audit trail."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bgtui.cli.options import service_for
from bgtui.core.errors import EXIT_OK, EXIT_REFUSED, BadInput
from bgtui.core.plain_text import printable


def evidence(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if args.verify is not None:
        check = service_for(args).check_evidence(args.verify)
        source = printable(check.source)
        if check.difference:
            out.write(f"release record DOES NOT MATCH {source}: {printable(check.difference)}\n")
            return EXIT_REFUSED
        out.write(f"release record {printable(str(args.verify))} matches {source}\n")
        return EXIT_OK
    if not args.function or args.out is None:
        raise BadInput("evidence needs FN and --out DIR, or --verify DIR")
    record = service_for(args).write_evidence(args.function, args.release, args.out)
    out.write(
        f"release record of {printable(args.function)} written to {printable(str(args.out))}; "
        f"its digest is audit record {record.seq}\n"
    )
    return EXIT_OK
