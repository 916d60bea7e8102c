"""The console's first reads in a forked child: answered once, for the console's own service,
with the child's calls in its call log; a child that fails or hangs leaves the console to read."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bgtui.app.first_read_process import ForkedFirstRead, fork_possible
from bgtui.app.service import ReleaseService
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_service
from tests.emulator_fixtures import DemoStack
from tests.ui.fake_backend import MetricsFakeAws, demo_aws, fake_backend

NOTHING = frozenset[str]()


def always() -> bool:
    """pytest's workers run threads of their own: the tests fork past the safety check."""
    return True


def fake_service(tmp_path: Path, aws: MetricsFakeAws | None = None) -> ReleaseService:
    return ReleaseService(fake_backend(aws or demo_aws(), tmp_path))


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def test_the_first_refresh_and_its_metrics_come_from_the_child(tmp_path: Path) -> None:
    aws = demo_aws()
    service = fake_service(tmp_path, aws)
    first = ForkedFirstRead.start(lambda: fake_service(tmp_path / "child"), possible=always)
    assert first is not None
    first.answers_for(service)
    snapshot = first.take(service, "", (), NOTHING, 0)
    assert snapshot is not None
    read = sorted(s.ref.function for s in snapshot.states)
    assert read == ["ledger-writer", "payments-api"]
    assert aws.calls.count("lambda:ListAliases") == 0, "the child read, not this process"
    health = first.take_health(read, set(read))
    assert health is not None and sorted(health.windows) == read
    assert first.take(service, "", (), NOTHING, 0) is None, "a second refresh reads anew"
    assert first.take_health(read, set(read)) is None


def test_another_read_or_another_service_is_not_answered(tmp_path: Path) -> None:
    service = fake_service(tmp_path)
    first = ForkedFirstRead.start(lambda: fake_service(tmp_path / "child"), possible=always)
    assert first is not None
    assert first.take(service, "", (), NOTHING, 0) is None, "not told whose it is yet"
    first.answers_for(service)
    assert first.take(service, "payments-api", (), NOTHING, 0) is None
    assert first.take(fake_service(tmp_path / "other"), "", (), NOTHING, 0) is None
    snapshot = first.take(service, "", (), NOTHING, 0)
    assert snapshot is not None
    assert first.take_health(["payments-api"], {"payments-api"}) is None, "not what it read"


def test_a_child_that_fails_leaves_the_console_to_read_for_itself(tmp_path: Path) -> None:
    def broken() -> ReleaseService:
        raise RuntimeError("no credentials in this child")

    service = fake_service(tmp_path)
    first = ForkedFirstRead.start(broken, possible=always)
    assert first is not None
    first.answers_for(service)
    assert first.take(service, "", (), NOTHING, 0) is None
    assert first.take_health(["payments-api"], {"payments-api"}) is None
    deadline = time.monotonic() + 5
    while not gone(first._pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gone(first._pid), "the child is reaped, never left a zombie"


def test_a_child_that_hangs_is_stopped_and_not_waited_for(tmp_path: Path) -> None:
    def stuck() -> ReleaseService:
        time.sleep(60)
        raise AssertionError("never")

    service = fake_service(tmp_path)
    first = ForkedFirstRead.start(stuck, possible=always, wait_s=0.5)
    assert first is not None
    first.answers_for(service)
    started = time.monotonic()
    assert first.take(service, "", (), NOTHING, 0) is None
    assert time.monotonic() - started < 5
    deadline = time.monotonic() + 5
    while not gone(first._pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gone(first._pid), "killed and reaped"


def test_no_fork_while_another_thread_runs() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not fork_possible()
        assert ForkedFirstRead.start(lambda: None) is None  # type: ignore[arg-type, return-value]
    finally:
        release.set()
        other.join()


@pytest.mark.e2e
def test_the_childs_api_calls_are_in_the_consoles_call_log(
    demo_stack: DemoStack, tmp_path: Path
) -> None:
    """What a benchmark counts and a least-privilege check reads: the first read's calls too."""
    settings = Settings(
        endpoint_url=demo_stack.endpoint_url,
        region=demo_stack.region,
        audit_path=tmp_path / "audit.jsonl",
    )
    service = build_service(settings)
    first = ForkedFirstRead.start(lambda: build_service(settings), possible=always)
    assert first is not None
    first.answers_for(service)
    snapshot = first.take(service, "", (), NOTHING, 0)
    assert snapshot is not None and len(snapshot.states) == 3
    log = service.backend.call_log
    assert log.count("lambda:ListAliases") == 3
    assert log.count("apigateway:GetStages") == 3
    assert log.count("cloudwatch:GetMetricData") == 1
    assert log.metrics_requested() > 0


def test_the_console_loads_no_aws_sdk_before_its_first_frame(tmp_path: Path) -> None:
    """With a region given and the default profile, the console's own service and interface
    load without the SDK: its first reads load it in the child, on the other core."""
    probe = (
        "import sys\n"
        "from bgtui.cli.main import build_parser\n"
        "from bgtui.cli.options import service_for\n"
        "args = build_parser().parse_args(['--region', 'eu-west-1'])\n"
        "service_for(args, console=True)\n"
        "import bgtui.ui.app\n"
        "sdk = ('boto3', 'botocore.client', 'botocore.session')\n"
        "print(sorted(m for m in sdk if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "BGTUI_CONFIG"}
    env |= {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
