"""The guard: rolls a blue/green service back when its live alarm fires inside the watch window."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

RECORD_SCHEMA = "bgtui/live-v1"
LIVE_ALIAS = "live"
STAGE_VARIABLE = "lambdaAlias"
COLOURS = ("blue", "green")
ACTOR = "guard"
SUBJECT_LIMIT = 99
"""SNS takes a Subject "less than 100 characters long" (botocore's sns model, PublishInput)."""

ClientFactory = Callable[[str], Any]


@dataclass(frozen=True)
class GuardConfig:
    """The one service this guard protects, as the module passes it in the environment."""

    function: str
    api_id: str
    test_stage: str
    audit_log_group: str
    region: str = ""
    account: str = ""
    role: str = ""
    notify_topic_arn: str = ""
    environment: str = ""

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> GuardConfig:
        return cls(
            function=env["GUARD_FUNCTION_NAME"],
            api_id=env.get("GUARD_API_ID", ""),
            test_stage=env.get("GUARD_TEST_STAGE", "test"),
            audit_log_group=env.get("GUARD_AUDIT_LOG_GROUP", ""),
            region=env.get("AWS_REGION", ""),
            notify_topic_arn=env.get("GUARD_NOTIFY_TOPIC_ARN", ""),
            environment=env.get("GUARD_ENVIRONMENT", ""),
        )


@dataclass(frozen=True)
class AlarmEvent:
    """What a CloudWatch alarm's Lambda action says: which alarm, its new state and why."""

    name: str
    state: str
    reason: str
    resource: str
    account: str
    region: str

    @classmethod
    def parse(cls, event: Mapping[str, Any]) -> AlarmEvent:
        data = event.get("alarmData") or {}
        state = data.get("state") or {}
        return cls(
            name=str(data.get("alarmName", "")),
            state=str(state.get("value", "")),
            reason=str(state.get("reason", "")),
            resource=_resource_dimension(data.get("configuration") or {}),
            account=str(event.get("accountId", "")),
            region=str(event.get("region", "")),
        )


@dataclass(frozen=True)
class LiveState:
    """The live alias as read: its version, revision and the record in its Description."""

    version: str
    revision: str
    description: str
    record: dict[str, Any] | None

    @classmethod
    def from_alias(cls, alias: Mapping[str, Any]) -> LiveState:
        description = str(alias.get("Description", ""))
        return cls(
            str(alias["FunctionVersion"]),
            str(alias["RevisionId"]),
            description,
            parse_record(description),
        )

    @property
    def colour(self) -> str:
        return str(self.record["live"]) if self.record else ""

    def snapshot(self) -> dict[str, Any]:
        return {"live": {"colour": self.colour, "version": self.version, "revision": self.revision}}


@dataclass(frozen=True)
class Decision:
    """What the guard did with one alarm event, and why (returned and logged)."""

    action: str
    detail: str
    announcement: str = ""
    """With a topic configured: "sent", or "failed: " and why; empty when none is."""

    def as_dict(self) -> dict[str, str]:
        doc = {"action": self.action, "detail": self.detail}
        if self.announcement:
            doc["announcement"] = self.announcement
        return doc


def parse_record(text: str) -> dict[str, Any] | None:
    """The live record bgtui writes; None when the description is not one."""
    try:
        doc = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("schema") != RECORD_SCHEMA:
        return None
    if doc.get("live") not in COLOURS:
        return None
    return doc


def watch_end(record: Mapping[str, Any]) -> datetime | None:
    """The end of the watch window the record holds ("2026-12-01T14:32:00Z"), if any."""
    text = record.get("watch")
    if not isinstance(text, str) or not text:
        return None
    try:
        end = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return end if end.tzinfo else end.replace(tzinfo=UTC)


def utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _resource_dimension(configuration: Mapping[str, Any]) -> str:
    for metric in configuration.get("metrics") or []:
        dimensions = ((metric.get("metricStat") or {}).get("metric") or {}).get("dimensions")
        if isinstance(dimensions, Mapping) and "Resource" in dimensions:
            return str(dimensions["Resource"])
    return ""


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class Conflict(Exception):
    """The live alias is no longer what the guard read: someone else acted first."""


class Guard:
    """One alarm event in, at most one compare-and-swap rollback of live out."""

    def __init__(
        self,
        config: GuardConfig,
        clients: ClientFactory,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self._clients = clients
        self._clock = clock

    def handle(self, event: Mapping[str, Any]) -> Decision:
        alarm = AlarmEvent.parse(event)
        why_not = self._ignored(alarm)
        if why_not:
            return Decision("none", why_not)
        live = self._read_live()
        why_not = self._outside_window(live)
        if why_not:
            return Decision("none", why_not)
        return self._roll_back(alarm, live)

    def _ignored(self, alarm: AlarmEvent) -> str:
        if alarm.state != "ALARM":
            return f"alarm {alarm.name} is {alarm.state or 'in no state'}, not ALARM"
        if alarm.resource != f"{self.config.function}:{LIVE_ALIAS}":
            return f"alarm {alarm.name} is not about {self.config.function}:{LIVE_ALIAS}"
        return ""

    def _outside_window(self, live: LiveState) -> str:
        if live.record is None:
            return "the live alias holds no bgtui record"
        end = watch_end(live.record)
        now = self._clock()
        if end is None:
            return "no watch window is recorded on live"
        if now >= end:
            return f"the watch window closed at {utc_text(end)}"
        previous = live.record.get("previous")
        if not isinstance(previous, Mapping) or previous.get("colour") not in COLOURS:
            return "no previous live version is recorded"
        if str(previous.get("version")) == live.version:
            return f"live already runs the previous version v{live.version}"
        return ""

    def _roll_back(self, alarm: AlarmEvent, live: LiveState) -> Decision:
        assert live.record is not None
        previous = live.record["previous"]
        colour, version = str(previous["colour"]), str(previous["version"])
        description = self._new_record(colour, live)
        try:
            self._swap(live, version, description)
        except Conflict as error:
            record = self._audit(alarm, live, None, "conflict", str(error))
            return Decision("conflict", str(error), self._announce(record))
        warnings = self._restore_colour(colour, version)
        warnings += self._point_test_stage(live.colour)
        after = {"live": {"colour": colour, "version": version}}
        record = self._audit(alarm, live, after, "ok", "", warnings)
        detail = f"live rolled back to {colour} v{version} (was {live.colour} v{live.version})"
        return Decision("rolled-back", detail, self._announce(record))

    def _new_record(self, colour: str, live: LiveState) -> str:
        doc = {
            "schema": RECORD_SCHEMA,
            "live": colour,
            "previous": {"colour": live.colour, "version": live.version},
            "at": utc_text(self._clock()),
            "by": ACTOR,
        }
        return json.dumps(doc, separators=(",", ":"), sort_keys=True)

    def _read_live(self) -> LiveState:
        alias = self._lambda.get_alias(FunctionName=self.config.function, Name=LIVE_ALIAS)
        return LiveState.from_alias(alias)

    def _swap(self, live: LiveState, version: str, description: str) -> None:
        """ONE UpdateAlias carrying the observed revision, then verify by reading it back."""
        try:
            self._lambda.update_alias(
                FunctionName=self.config.function,
                Name=LIVE_ALIAS,
                FunctionVersion=version,
                Description=description,
                RevisionId=live.revision,
            )
        except ClientError as error:
            if _error_code(error) == "PreconditionFailedException":
                raise Conflict(
                    f"live of {self.config.function} was changed by someone else; nothing changed"
                ) from None
            raise
        now = self._read_live()
        if now.version != version or now.description != description:
            raise Conflict(f"verification found live at v{now.version}, expected v{version}")

    def _restore_colour(self, colour: str, version: str) -> list[str]:
        """The colour live runs again must hold that version (it may have been redeployed)."""
        alias = self._lambda.get_alias(FunctionName=self.config.function, Name=colour)
        if str(alias["FunctionVersion"]) == version:
            return []
        try:
            self._lambda.update_alias(
                FunctionName=self.config.function,
                Name=colour,
                FunctionVersion=version,
                Description="",
                RevisionId=alias["RevisionId"],
            )
        except (BotoCoreError, ClientError) as error:
            return [f"{colour} still holds v{alias['FunctionVersion']}: {error}"]
        return [f"{colour} had been redeployed (v{alias['FunctionVersion']}); reset to v{version}"]

    def _point_test_stage(self, idle: str) -> list[str]:
        """Testers must end on the colour idle now, even if another swap landed meanwhile."""
        if not self.config.api_id:
            return []
        try:
            self._set_stage(idle)
            now = self._read_live().colour
            if now in COLOURS and now == idle:
                self._set_stage(COLOURS[1 - COLOURS.index(now)])
        except (BotoCoreError, ClientError) as error:
            return [f"stage {self.config.test_stage} may not point at the idle colour: {error}"]
        return []

    def _set_stage(self, colour: str) -> None:
        self._clients("apigateway").update_stage(
            restApiId=self.config.api_id,
            stageName=self.config.test_stage,
            patchOperations=[
                {"op": "replace", "path": f"/variables/{STAGE_VARIABLE}", "value": colour}
            ],
        )

    def _audit(
        self,
        alarm: AlarmEvent,
        live: LiveState,
        after: dict[str, Any] | None,
        outcome: str,
        error: str,
        warnings: list[str] | None = None,
    ) -> dict[str, Any]:
        record = self.audit_record(alarm, live, after, outcome, error, warnings or [])
        if self.config.audit_log_group:
            self._ship(json.dumps(record, sort_keys=True))
        return record

    def _announce(self, record: Mapping[str, Any]) -> str:
        """One Publish of the event; a failure is reported, never raised: live stays rolled back."""
        topic = self.config.notify_topic_arn
        if not topic:
            return ""
        request = publish_request(topic, record, self.config.environment)
        try:
            self._clients("sns").publish(**request)
        except (BotoCoreError, ClientError) as error:
            print(json.dumps({"announce": topic, "event": event_name(record), "error": str(error)}))
            return f"failed: {error}"
        return "sent"

    def audit_record(
        self,
        alarm: AlarmEvent,
        live: LiveState,
        after: dict[str, Any] | None,
        outcome: str,
        error: str,
        warnings: list[str],
    ) -> dict[str, Any]:
        measured = f"alarm {alarm.name} in ALARM"
        if alarm.reason:
            measured += f": {alarm.reason[:300]}"
        record: dict[str, Any] = {
            "time": utc_text(self._clock()),
            "actor": {"aws": self.config.role, "local": ACTOR},
            "by": ACTOR,
            "action": "auto-rollback",
            "phase": "outcome",
            "function": self.config.function,
            "region": self.config.region or alarm.region,
            "account": self.config.account or alarm.account,
            "before": live.snapshot(),
            "reason": f"alarm {alarm.name} fired during the watch window",
            "rule": f"alarm {alarm.name}",
            "measured": measured,
            "outcome": outcome,
            "error": error,
        }
        if after is not None:
            record["after"] = after
        if warnings:
            record["warnings"] = warnings
        return record

    def _ship(self, line: str) -> None:
        logs = self._clients("logs")
        group = self.config.audit_log_group
        stream = f"{ACTOR}/{self._clock().astimezone(UTC):%Y-%m-%d}"
        try:
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
        except ClientError as error:
            if _error_code(error) != "ResourceAlreadyExistsException":
                raise
        millis = int(self._clock().timestamp() * 1000)
        logs.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[{"timestamp": millis, "message": line}],
        )

    @property
    def _lambda(self) -> Any:
        return self._clients("lambda")


EVENTS = {"ok": "auto-rolled-back", "conflict": "conflict"}
"""bgtui's event for each outcome of the guard's audit record (bgtui/core/notification.py)."""


def event_name(record: Mapping[str, Any]) -> str:
    return EVENTS.get(str(record.get("outcome")), "")


def publish_request(topic: str, record: Mapping[str, Any], environment: str) -> dict[str, Any]:
    """The Publish bgtui's SnsTopic makes for this audit record: same Subject, Message, attributes.

    The guard ships alone, so this repeats bgtui's ReleaseEvent; tests/guard holds it to bgtui's.
    """
    name, function = event_name(record), str(record["function"])
    event = {
        "event": name,
        "function": function,
        "region": str(record.get("region", "")),
        "account": str(record.get("account", "")),
        "environment": environment,
        "from_version": _live_version(record.get("before")),
        "to_version": _live_version(record.get("after")),
        "actor": ACTOR,
        "reason": str(record.get("reason", "")),
        "outcome": str(record.get("outcome", "")),
        "time": str(record.get("time", "")),
        "detail": str(record.get("error") or record.get("measured") or ""),
        "audit_seq": 0,
    }
    message = json.dumps({"text": event_text(event), **event}, ensure_ascii=False)
    return {
        "TopicArn": topic,
        "Subject": f"bgtui {name} {function}"[:SUBJECT_LIMIT],
        "Message": message,
        "MessageAttributes": {
            "event": {"DataType": "String", "StringValue": name},
            "function": {"DataType": "String", "StringValue": function},
        },
    }


def event_text(event: Mapping[str, Any]) -> str:
    """One line for a person: event, function, where, versions, who and why."""
    place = "/".join(p for p in (event["account"], event["region"]) if p)
    where = f"{event['environment']} ({place})" if event["environment"] else place
    before, after = event["from_version"], event["to_version"]
    if before and after and before != after:
        versions = f"v{before} → v{after}"
    else:
        versions = f"v{after or before}" if after or before else ""
    parts = [f"[{event['event']}] {event['function']}", f"in {where}" if where else ""]
    parts += [versions, f"by {event['actor']}"]
    line = " ".join(p for p in parts if p)
    extra = " · ".join(p for p in (event["reason"], event["detail"]) if p)
    return f"{line} — {extra}" if extra else line


def _live_version(snapshot: Any) -> str:
    live = snapshot.get("live") if isinstance(snapshot, Mapping) else None
    return str(live.get("version", "")) if isinstance(live, Mapping) else ""


def handler(event: Mapping[str, Any], context: Any) -> dict[str, str]:
    """Lambda entry point: the alarm's Lambda action invokes it asynchronously."""
    import boto3  # only in the Lambda runtime; the emulator passes its own clients

    config = GuardConfig.from_environment(os.environ)
    arn = str(getattr(context, "invoked_function_arn", ""))
    account = arn.split(":")[4] if arn.count(":") >= 5 else ""
    config = replace(config, account=account, role=arn)
    decision = Guard(config, boto3.client).handle(event)
    print(json.dumps({"alarm": AlarmEvent.parse(event).name, **decision.as_dict()}))
    return decision.as_dict()
