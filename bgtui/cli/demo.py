"""`bgtui demo`: the console against the embedded emulator with the demo stack."""

from __future__ import annotations

import argparse


def demo(args: argparse.Namespace) -> int:
    from bgtui.demo.runner import DemoOptions, run_demo

    options = DemoOptions(
        scenario=args.scenario,
        speed=args.speed,
        provision=getattr(args, "provision", None) or "boto3",
        read_only=bool(getattr(args, "read_only", False)),
    )
    return run_demo(options)
