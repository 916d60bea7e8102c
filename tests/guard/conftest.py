"""A guarded service on a clean emulator, with a watch window recorded on live."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest

from bgtui.demo.guard_stack import provision_guard
from bgtui.demo.stack import ProvisionedService, provision_service
from bgtui.emulator.alarm_actions import alarm_event, load_guard
from bgtui.emulator.clients import EmulatorClients

NOW = datetime(2026, 12, 1, 14, 25, tzinfo=UTC)
WATCH_END = NOW + timedelta(minutes=7)
FUNCTION = "guarded-api"
LIVE_ALARM = f"{FUNCTION}-live-errors"


@dataclass(frozen=True)
class Guarded:
    """One service (blue live v1, green v2) and its guard."""

    clients: EmulatorClients
    service: ProvisionedService
    guard_arn: str

    @property
    def function(self) -> str:
        return self.service.function

    def live(self) -> dict[str, Any]:
        alias = self.clients.lambda_.get_alias(FunctionName=self.function, Name="live")
        return {k: v for k, v in alias.items() if k != "ResponseMetadata"}

    def record(self) -> dict[str, Any]:
        return dict(json.loads(self.live()["Description"]))

    def test_stage_alias(self) -> str:
        stage = self.clients.apigateway.get_stage(restApiId=self.service.api_id, stageName="test")
        return str(stage["variables"]["lambdaAlias"])

    def promote_green(self, watch: datetime | None = WATCH_END) -> None:
        """What bgtui's promote writes: green live, blue v1 previous, and the watch window."""
        doc: dict[str, Any] = {
            "schema": "bgtui/live-v1",
            "live": "green",
            "previous": {"colour": "blue", "version": self.service.blue},
            "at": "2026-12-01T14:22:00Z",
        }
        if watch is not None:
            doc["watch"] = watch.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.clients.lambda_.update_alias(
            FunctionName=self.function,
            Name="live",
            FunctionVersion=self.service.green,
            Description=json.dumps(doc, separators=(",", ":"), sort_keys=True),
            RevisionId=self.live()["RevisionId"],
        )
        self.clients.apigateway.update_stage(
            restApiId=self.service.api_id,
            stageName="test",
            patchOperations=[{"op": "replace", "path": "/variables/lambdaAlias", "value": "blue"}],
        )

    def alarm(self, name: str = LIVE_ALARM) -> dict[str, Any]:
        answer = self.clients.cloudwatch.describe_alarms(AlarmNames=[name])
        return dict(answer["MetricAlarms"][0])

    def event(self, state: str = "ALARM", name: str = LIVE_ALARM) -> dict[str, Any]:
        reason = "Threshold Crossed: 2 out of the last 3 datapoints [9, 12] were greater than 5"
        return alarm_event(self.alarm(name), state, reason, NOW)

    def audit_lines(self) -> list[dict[str, Any]]:
        logs = self.clients.logs
        group = f"/bgtui/audit/{self.function}"
        found = []
        for stream in logs.describe_log_streams(logGroupName=group)["logStreams"]:
            events = logs.get_log_events(logGroupName=group, logStreamName=stream["logStreamName"])[
                "events"
            ]
            found += [json.loads(e["message"]) for e in events]
        return found


@pytest.fixture
def guard_code() -> ModuleType:
    return load_guard()


@pytest.fixture
def guarded(clean_emulator: str) -> Guarded:
    clients = EmulatorClients(clean_emulator)
    service = provision_service(clients, FUNCTION, versions=2)
    guard_arn = provision_guard(clients, FUNCTION, service.api_id)
    return Guarded(clients, service, guard_arn)


def make_guard(guard_code: ModuleType, guarded: Guarded, now: datetime = NOW) -> Any:
    config = guard_code.GuardConfig(
        function=guarded.function,
        api_id=guarded.service.api_id,
        test_stage="test",
        audit_log_group=f"/bgtui/audit/{guarded.function}",
        region=guarded.clients.region,
    )
    return guard_code.Guard(config, guarded.clients.client, clock=lambda: now)
