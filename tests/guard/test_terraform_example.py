"""The module's guard deployed by real terraform with the emulator example (`enable_guard`),
then fired by the emulator's own alarm evaluation: the guard code from the applied zip's
source rolls live back, with no console involved."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bgtui.adapters.terraform.mirror import prepare_cli_config
from bgtui.demo.stack import DEMO_SERVICES
from bgtui.demo.tf_stack import VARIABLES_FILE, apply_root, lay_out_versions, prepare_root
from bgtui.emulator.alarm_evaluation import AlarmEvaluator
from bgtui.emulator.clients import EmulatorClients
from tests.reliability.module_policies import terraform_binary

pytestmark = pytest.mark.terraform
NOW = datetime(2026, 12, 1, 14, 25, tzinfo=UTC)


def test_the_example_deploys_the_guard_and_the_emulator_runs_it(
    clean_emulator: str, tmp_path: Path
) -> None:
    terraform_binary()
    spec = DEMO_SERVICES[0]
    root = prepare_root(tmp_path, clean_emulator, "us-east-1", [spec])
    variables = json.loads((root / VARIABLES_FILE).read_text(encoding="utf-8"))
    variables["services"][spec.function]["enable_guard"] = True
    (root / VARIABLES_FILE).write_text(json.dumps(variables), encoding="utf-8")
    asyncio.run(apply_root(root, prepare_cli_config(base_dir=tmp_path / "cli"), None))
    clients = EmulatorClients(clean_emulator)
    lay_out_versions(clients, spec)

    function = spec.function
    guard = clients.lambda_.get_function(FunctionName=f"{function}-guard")["Configuration"]
    assert guard["Handler"] == "guard.handler"
    assert guard["Environment"]["Variables"]["GUARD_FUNCTION_NAME"] == function
    arn = clients.lambda_.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    assert clients.lambda_.list_tags(Resource=arn)["Tags"]["bluegreen:guard"] == "on"
    alarms = clients.cloudwatch.describe_alarms(AlarmNamePrefix=f"{function}-")["MetricAlarms"]
    actions = {a["AlarmName"]: a["AlarmActions"] for a in alarms}
    assert actions[f"{function}-live-errors"] == [guard["FunctionArn"]]
    assert actions[f"{function}-blue-errors"] == []

    # A promote to green with a watch window, then errors on live above the module's threshold.
    live = clients.lambda_.get_alias(FunctionName=function, Name="live")
    green = clients.lambda_.get_alias(FunctionName=function, Name="green")["FunctionVersion"]
    record = {
        "schema": "bgtui/live-v1",
        "live": "green",
        "previous": {"colour": "blue", "version": live["FunctionVersion"]},
        "watch": (NOW + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    clients.lambda_.update_alias(
        FunctionName=function,
        Name="live",
        FunctionVersion=green,
        Description=json.dumps(record),
        RevisionId=live["RevisionId"],
    )
    clients.cloudwatch.put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Errors",
                "Dimensions": [
                    {"Name": "FunctionName", "Value": function},
                    {"Name": "Resource", "Value": f"{function}:live"},
                ],
                "Timestamp": NOW - timedelta(minutes=m),
                "Value": 50.0,
            }
            for m in (1, 2)
        ],
    )
    evaluator = AlarmEvaluator(clients)
    assert evaluator.evaluate([f"{function}-live-"], NOW)[f"{function}-live-errors"] == "ALARM"
    assert [a["action"] for a in evaluator.action_answers] == ["rolled-back"]
    after = clients.lambda_.get_alias(FunctionName=function, Name="live")
    assert after["FunctionVersion"] == live["FunctionVersion"]
    assert json.loads(after["Description"])["by"] == "guard"
