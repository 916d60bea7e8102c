"""Alarm actions in the emulator: a Lambda action runs the module's guard code in-process."""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from bgtui.emulator.clients import EmulatorClients

_PACKAGE = Path(__file__).resolve().parents[1]
GUARD_SOURCE = Path("modules") / "lambda-bluegreen" / "guard" / "guard.py"
log = logging.getLogger("bgtui.emulator.alarm_actions")


def guard_source() -> Path:
    """guard.py as shipped: inside an installed wheel (bgtui/_terraform) or beside bgtui/."""
    for tree in (_PACKAGE / "_terraform", _PACKAGE.parent / "terraform"):
        if (tree / GUARD_SOURCE).is_file():
            return tree / GUARD_SOURCE
    raise FileNotFoundError(f"the guard's source {GUARD_SOURCE} is not installed")


@lru_cache(maxsize=1)
def load_guard() -> ModuleType:
    """The very code the module zips for Lambda, imported under the name `bgtui_guard`."""
    spec = importlib.util.spec_from_file_location("bgtui_guard", guard_source())
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up by name while the module runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def alarm_event(alarm: Mapping[str, Any], state: str, reason: str, now: datetime) -> dict[str, Any]:
    """The payload CloudWatch sends a Lambda alarm action (the CloudWatch User Guide's
    "Lambda alarm action" event), from a DescribeAlarms entry and its new state."""
    arn = str(alarm.get("AlarmArn", ""))
    parts = arn.split(":")
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"
    metric = {
        "namespace": alarm.get("Namespace", ""),
        "name": alarm.get("MetricName", ""),
        "dimensions": {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])},
    }
    stat = alarm.get("Statistic") or alarm.get("ExtendedStatistic") or ""
    return {
        "source": "aws.cloudwatch",
        "alarmArn": arn,
        "accountId": parts[4] if len(parts) > 4 else "",
        "time": stamp,
        "region": parts[3] if len(parts) > 3 else "",
        "alarmData": {
            "alarmName": alarm.get("AlarmName", ""),
            "state": {"value": state, "reason": reason, "timestamp": stamp},
            "previousState": {
                "value": alarm.get("StateValue", ""),
                "reason": alarm.get("StateReason", ""),
            },
            "configuration": {
                "description": alarm.get("AlarmDescription", ""),
                "metrics": [
                    {
                        "id": "m1",
                        "metricStat": {
                            "metric": metric,
                            "period": alarm.get("Period", 60),
                            "stat": stat,
                        },
                        "returnData": True,
                    }
                ],
            },
        },
    }


class LambdaAlarmActions:
    """Invokes, in-process, the guard named by an alarm's Lambda action when it enters ALARM."""

    def __init__(self, clients: EmulatorClients) -> None:
        self._clients = clients

    def fire(
        self, alarm: Mapping[str, Any], state: str, reason: str, now: datetime
    ) -> list[dict[str, str]]:
        """Run every Lambda action of the alarm for its new state; returns the guards' answers."""
        if state != "ALARM" or not alarm.get("ActionsEnabled", True):
            return []
        event = alarm_event(alarm, state, reason, now)
        answers = []
        for arn in alarm.get("AlarmActions", []):
            function = _lambda_function(str(arn))
            if not function:
                continue
            try:
                answers.append(self._invoke(function, event, now))
            except (BotoCoreError, ClientError, KeyError, ValueError) as error:
                # A failing action never stops CloudWatch: it is logged, as Lambda would.
                log.warning("alarm action %s failed: %s", function, error)
                answers.append({"action": "error", "detail": str(error)})
        return answers

    def _invoke(self, function: str, event: dict[str, Any], now: datetime) -> dict[str, str]:
        guard = load_guard()
        answer = self._clients.lambda_.get_function_configuration(FunctionName=function)
        env = (answer.get("Environment") or {}).get("Variables") or {}
        config = guard.GuardConfig.from_environment({**env, "AWS_REGION": self._clients.region})
        config = guard.replace(
            config, account=event["accountId"], role=str(answer.get("FunctionArn", ""))
        )
        decision = guard.Guard(config, self._clients.client, clock=lambda: now).handle(event)
        log.info("guard %s on %s: %s", function, event["alarmData"]["alarmName"], decision)
        return dict(decision.as_dict())


def _lambda_function(arn: str) -> str:
    """The function an alarm action names (`arn:aws:lambda:region:account:function:name`)."""
    parts = arn.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return parts[6]
    return ""
