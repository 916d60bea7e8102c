"""A stand-in terraform that records the argv and whole environment of every run it is given.

It answers init, `workspace list`, plan and `show -json` as terraform does, enough for `bgtui
plan` and the console's Terraform view to run to the end. Each run is recorded as one JSON file
in the directory named by RECORD_TERRAFORM_DIR.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

SUMMARY = {
    "@level": "info",
    "@message": "Plan: 1 to add, 0 to change, 0 to destroy.",
    "type": "change_summary",
    "changes": {"add": 1, "change": 0, "import": 0, "remove": 0, "operation": "plan"},
}


def main() -> int:
    args = sys.argv[1:]
    record = {"argv": args, "env": dict(os.environ), "cwd": os.getcwd()}
    folder = Path(os.environ["RECORD_TERRAFORM_DIR"])
    name = f"{time.monotonic_ns()}-{'-'.join(a for a in args[:2] if not a.startswith('-'))}"
    (folder / f"{name}.json").write_text(json.dumps(record), encoding="utf-8")
    if args[:2] == ["workspace", "list"]:
        print("* default")
    elif args[:1] == ["plan"]:
        print(json.dumps(SUMMARY))
    elif args[:1] == ["init"]:
        print("Terraform has been successfully initialized!")
    return 0


if __name__ == "__main__":
    sys.exit(main())
