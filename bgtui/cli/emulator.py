"""`bgtui emulator`: the embedded emulator alone, until Ctrl-C."""

from __future__ import annotations

import argparse


def emulator(args: argparse.Namespace) -> int:
    from bgtui.demo.standalone import run_standalone

    region = getattr(args, "region", None) or "us-east-1"
    return run_standalone(args.port, args.empty, region)
