"""`bgtui logs` against the embedded emulator: one colour's events, filtered, followed, as JSON."""

from __future__ import annotations

import argparse
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bgtui.adapters.aws.lambda_logs import LambdaLogs
from bgtui.app.service import ReleaseService
from bgtui.app.settings import load_settings
from bgtui.app.wiring import build_backend
from bgtui.cli import logs as logs_command
from bgtui.cli.main import main
from bgtui.demo.traffic import TrafficGenerator
from tests.emulator_fixtures import DemoStack


@pytest.fixture
def cli(
    demo_stack: DemoStack,
    demo_traffic: TrafficGenerator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
):
    """`bgtui …` against the demo stack after its first traffic round (logs included)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    url = demo_stack.endpoint_url

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--endpoint-url", url, "--region", "us-east-1", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.url = url  # type: ignore[attr-defined]
    return run


def test_green_shows_the_broken_candidates_traceback_marked_and_not_blues_lines(cli) -> None:
    code, out, err = cli("logs", "ledger-writer", "--colour", "green", "--since", "15m")
    assert code == 0, err
    assert err.startswith("ledger-writer green (version 3) since 15m")
    lines = out.splitlines()
    assert lines and all(" [3] " in line for line in lines)
    assert any("✖ ERROR Traceback (most recent call last):" in line for line in lines)
    assert any(line.endswith("│ KeyError: 'amount'") for line in lines)
    assert "order accepted" not in out


def test_live_is_blue_here_and_the_filter_keeps_only_matching_events(cli) -> None:
    code, out, _ = cli("logs", "ledger-writer", "--filter", "ORDER ACCEPTED", "--json")
    assert code == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert events
    assert {(e["colour"], e["version"]) for e in events} == {("blue", "2")}
    assert all("order accepted" in e["message"] for e in events)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--since", "forever"), 2, "--since takes a number"),
        (("--colour", "red"), 2, "colour must be blue, green or live"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args: tuple[str, ...], code: int, message: str):
    got, out, err = cli("logs", "ledger-writer", *args)
    assert (got, out) == (code, "")
    assert message in err and len(err.strip().splitlines()) == 1


def test_an_unknown_function_is_one_line_and_exit_4(cli) -> None:
    code, _, err = cli("logs", "no-such-function")
    assert code == 4
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_follow_prints_a_new_event_once(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", cli.url)
    settings = load_settings(None, region="us-east-1", endpoint_url=cli.url)
    backend = build_backend(settings)
    polls: list[float] = []
    assert backend.context is not None
    backend.logs = LambdaLogs(backend.context, sleep=polls.append)
    logs_client = backend.context.client("logs")
    out = io.StringIO()

    written: list[str] = []

    def stopped() -> bool:
        if len(polls) == 1 and not written:
            assert " [3] " in out.getvalue(), "the history came first"
            name = logs_client.filter_log_events(
                logGroupName="/aws/lambda/ledger-writer",
                logStreamNamePrefix=f"{datetime.now(UTC):%Y/%m/%d}/[3]",
                limit=1,
            )["events"][0]["logStreamName"]
            logs_client.put_log_events(
                logGroupName="/aws/lambda/ledger-writer",
                logStreamName=name,
                logEvents=[
                    {
                        "timestamp": int(datetime.now(UTC).timestamp() * 1000),
                        "message": "followed: a new event",
                    }
                ],
            )
            written.append(name)
        return len(polls) >= 2

    args = argparse.Namespace(
        function="ledger-writer", colour="green", since="5m", follow=True, filter="", json=False
    )
    assert logs_command.logs(args, out, ReleaseService(backend), stopped) == 0
    assert out.getvalue().count("followed: a new event") == 1
