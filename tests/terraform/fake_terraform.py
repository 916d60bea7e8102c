"""A stand-in terraform for the runner's tests: prints a scripted output, records how it was run.

The scenario is the JSON file named by FAKE_TF_SCENARIO: `steps` of {"print": line} or {"sleep": s},
then `exit`. `lock_file` is created at start and removed on SIGINT, as terraform releases its
state lock; `ignore_sigint` makes it deaf to SIGINT; `child` starts a long-lived child process,
as terraform starts provider plugins. FAKE_TF_RECORD receives argv, environment and pids.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

TRACKED_ENV = ("TF_CLI_CONFIG_FILE", "TF_IN_AUTOMATION", "TF_INPUT", "TF_WORKSPACE", "EXTRA")


def main() -> int:
    scenario = json.loads(Path(os.environ["FAKE_TF_SCENARIO"]).read_text(encoding="utf-8"))
    record = {
        "argv": sys.argv[1:],
        "env": {k: os.environ[k] for k in TRACKED_ENV if k in os.environ},
        "stdin_is_devnull": _stdin_is_devnull(),
        "pid": os.getpid(),
    }
    lock = Path(scenario["lock_file"]) if scenario.get("lock_file") else None
    if lock is not None:
        lock.write_text("held", encoding="utf-8")
    if scenario.get("child"):
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        record["child"] = child.pid
    _write_record(record)
    _on_sigint(scenario, lock)
    for step in scenario.get("steps", []):
        if "print" in step:
            print(step["print"], flush=True)
        else:
            time.sleep(step["sleep"])
    return int(scenario.get("exit", 0))


def _stdin_is_devnull() -> bool:
    try:
        return os.stat(0).st_rdev == os.stat(os.devnull).st_rdev
    except OSError:
        return False


def _write_record(record: dict[str, object]) -> None:
    target = os.environ.get("FAKE_TF_RECORD")
    if target:
        Path(target).write_text(json.dumps(record), encoding="utf-8")


def _on_sigint(scenario: dict[str, object], lock: Path | None) -> None:
    if scenario.get("ignore_sigint"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return

    def stop(signum: int, frame: object) -> None:
        print("Interrupt received. Gracefully shutting down...", flush=True)
        if lock is not None:
            lock.unlink(missing_ok=True)
        os._exit(1)

    signal.signal(signal.SIGINT, stop)


if __name__ == "__main__":
    sys.exit(main())
