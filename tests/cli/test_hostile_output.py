"""The CLI writes text from outside without terminal escapes: a hostile corpus, every command.

Names, stage variables, alarm names, function answers, audit reasons, error messages and
terraform lines are written as characters to show: an ESC, a C1 control, a bell, a
right-to-left override or a zero-width space never reaches the terminal as itself (it is
written as `\\x1b`, `\\u202e`, …), and `--json` output escapes them as JSON does.
"""

from __future__ import annotations

import asyncio
import io
import json
import unicodedata
from pathlib import Path

import pytest

from bgtui.cli.main import main
from bgtui.cli.plan import _stream
from tests.emulator_fixtures import DemoStack
from tests.ui.fake_terraform import FakeTerraform

CSI = "\x1b[31mRED\x1b[0m\x1b[2J"
OSC = "\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\osc8\x1b]8;;\x1b\\"
BIDI = "admin\u202egnp.exe \u2066iso\u2069 zero\u200bwidth"
C1 = "\x9b31mC1 \x08back \rreturn"
MARKUP = "[@click=app.quit]CLICKME[/] [reverse]REV[/]"
HOSTILE = (CSI, OSC, BIDI, C1, MARKUP, "W" * 300)
OBEYED = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def obeyed(text: str) -> list[str]:
    """Characters a terminal would act on or hide rather than draw (newline aside)."""
    return [c for c in text if unicodedata.category(c) in OBEYED and c != "\n"]


def plant(stack: DemoStack) -> None:
    """Hostile text where another team could put it: a stage variable, an alarm, a name."""
    clients = stack.clients()
    tags = clients.lambda_.get_function(FunctionName="payments-api")["Tags"]
    clients.client("apigateway").update_stage(
        restApiId=tags["bluegreen:api-id"],
        stageName="test",
        patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": CSI + OSC}],
    )
    arn = clients.lambda_.get_function(FunctionName="ledger-writer")["Configuration"]["FunctionArn"]
    clients.lambda_.tag_resource(Resource=arn, Tags={"bluegreen:service": MARKUP})
    cloudwatch = clients.client("cloudwatch")
    name = "ledger-writer-green-" + BIDI.replace(" ", "_") + CSI
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason=C1)


def test_no_command_writes_an_escape_from_outside(
    demo_stack: DemoStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    plant(demo_stack)
    url = demo_stack.endpoint_url
    reason = " ".join(HOSTILE)
    runs = [
        ("status",),
        ("status", "ledger-writer"),
        ("status", "--json"),
        ("test", "ledger-writer"),
        ("test", "ledger-writer", "--json"),
        ("promote", "ledger-writer", "--reason", reason, "--yes"),
        ("rollback", "payments-api", "--reason", reason, "--yes"),
        ("deploy", "payments-api", "--version", "1", "--reason", reason, "--yes"),
        ("audit",),
        ("audit", "--json"),
        ("audit", "--verify"),
        ("status", CSI + BIDI),
        ("promote", OSC, "--reason", reason, "--yes"),
    ]
    codes = [main(["--endpoint-url", url, *args]) for args in runs]
    assert codes[0] == 0 and codes[3] == 1 and codes[-1] == 4, codes
    printed = capsys.readouterr()
    for stream, text in (("stdout", printed.out), ("stderr", printed.err)):
        assert not obeyed(text), f"{stream} carries {sorted(set(obeyed(text)))!r}"
    assert "\\x1b[31mRED" in printed.out, "a stage variable's escape is shown, not obeyed"
    assert "\\u202e" in printed.out, "an alarm name's override is shown, not obeyed"
    assert MARKUP in printed.out, "markup is plain text for the CLI"
    assert "\\x1b]0;pwned\\x07" in printed.err, "a name echoed in an error is shown, not obeyed"
    documents = [line for line in printed.out.splitlines() if line.startswith('{"services"')]
    assert not documents or json.loads(documents[0])


def test_plan_writes_terraform_lines_without_escapes() -> None:
    out = io.StringIO()
    runner = FakeTerraform(lines=HOSTILE)
    runner.working_dir = Path("terraform") / "examples" / OSC  # type: ignore[attr-defined]
    assert asyncio.run(_stream(runner, None, {}, out)) == 0  # type: ignore[arg-type]
    written = out.getvalue()
    assert not obeyed(written), sorted(set(obeyed(written)))
    assert "\\x1b]8;;https://evil.example" in written and MARKUP in written
    assert "# workspace default (of default, staging) in terraform/examples/\\x1b]0;" in written
