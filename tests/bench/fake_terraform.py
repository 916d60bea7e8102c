"""A stand-in `terraform` that prints `-json` plan lines stamped with the moment they were printed.

BENCH_TF_LINES lines are printed BENCH_TF_PAUSE_S apart; each message reads
`bench line N printed_at=<epoch seconds>`. `workspace list` and `init` answer as terraform does.
"""

from __future__ import annotations

import json
import os
import sys
import time

STAMP = "printed_at="


def _emit(message: str, kind: str = "log", **extra: object) -> None:
    doc = {"@level": "info", "@message": message, "@module": "terraform.ui", "type": kind}
    print(json.dumps(doc | extra), flush=True)


def plan(lines: int, pause_s: float) -> None:
    for number in range(1, lines + 1):
        time.sleep(pause_s)
        _emit(f"bench line {number} {STAMP}{time.time():.6f}")
    changes = {"add": 0, "change": 1, "remove": 0, "import": 0, "operation": "plan"}
    _emit("Plan: 0 to add, 1 to change, 0 to destroy.", "change_summary", changes=changes)


def main(argv: list[str]) -> int:
    if argv[:2] == ["workspace", "list"]:
        print("* default")
    elif argv[:1] == ["plan"]:
        plan(int(os.environ.get("BENCH_TF_LINES", "10")), float(os.environ["BENCH_TF_PAUSE_S"]))
    elif argv[:1] == ["init"]:
        print("Terraform has been successfully initialized!")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
