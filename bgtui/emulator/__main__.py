"""`python -m bgtui.emulator [--port N] [--empty] [--region R]`: the standalone emulator."""

from __future__ import annotations

import argparse
import sys

from bgtui.emulator.server import DEFAULT_REGION
from bgtui.emulator.standalone import DEFAULT_PORT, run_standalone
from bgtui.errors import BgtuiError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bgtui.emulator",
        description="Run the embedded AWS emulator with the demo stack and synthetic traffic.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1")
    parser.add_argument("--empty", action="store_true", help="do not provision the demo stack")
    parser.add_argument("--region", default=DEFAULT_REGION, help="AWS region to emulate")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"port must be between 0 and 65535, not {args.port}")
    try:
        return run_standalone(args.port, args.empty, args.region)
    except BgtuiError as error:
        print(f"bgtui emulator: {error.title}: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
