"""Every AWS call bgtui makes, named by the IAM action it needs and the resource ARNs IAM
authorises it against, recorded from the clients bgtui builds — and, when given policies,
refused the way AWS refuses what they do not allow."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from bgtui import commands
from bgtui.adapters.call_log import CallLog, iam_action, iam_prefix
from bgtui.backend import Backend
from tests.reliability.iam_policy import Policy, Request, allowed

# Actions AWS does not scope to a resource.
ACCOUNT_WIDE = frozenset({"tag:GetResources", "sts:GetCallerIdentity", "cloudwatch:GetMetricData"})
ALIAS_ACTIONS = frozenset({"GetAlias", "UpdateAlias", "CreateAlias", "DeleteAlias"})
QUALIFIED_ACTIONS = frozenset({"InvokeFunction", "GetFunction", "GetFunctionConfiguration"})


@dataclass(frozen=True)
class AwsCall:
    action: str
    resources: tuple[str, ...]
    denied: bool = False


@dataclass
class Recording:
    """Calls recorded while it was on, and the call logs of the backends built meanwhile."""

    region: str
    account: str
    enforced: Sequence[Policy] | None = None
    """When set, a call these policies do not allow is answered with AccessDenied."""
    calls: list[AwsCall] = field(default_factory=list)
    backends: list[Backend] = field(default_factory=list)

    def record(self, params: Mapping[str, Any], model: Any, context: dict, **_: Any) -> None:
        service = iam_prefix(model.service_model.service_name)
        action = iam_action(f"{service}:{model.name}", model.http.get("method", ""))
        found = resources(action, params, model, self)
        refused = self.enforced is not None and not all(
            allowed(self.enforced, Request(action, resource)) for resource in found
        )
        context[_DENIED] = refused and f"{action} on {found[0]}"
        self.calls.append(AwsCall(action, found, refused))

    def refuse(self, context: dict, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        """Answer in AWS's place when the policies do not allow the call."""
        if not context.get(_DENIED):
            return None
        message = f"not authorized to perform: {context[_DENIED]}"
        parsed = {
            "Error": {"Code": "AccessDeniedException", "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }
        return AWSResponse("https://iam.example", 403, {}, None), parsed

    def take(self) -> list[AwsCall]:
        """The calls so far, forgetting them."""
        taken, self.calls = self.calls, []
        return taken

    @property
    def denied(self) -> list[AwsCall]:
        return [call for call in self.calls if call.denied]

    @property
    def logged_actions(self) -> frozenset[str]:
        """What bgtui's own call logs say the recorded calls needed."""
        return frozenset().union(*(b.call_log.iam_actions() for b in self.backends))


_DENIED = "bgtui_test_denied"


@contextmanager
def recording(
    monkeypatch: pytest.MonkeyPatch,
    region: str,
    account: str,
    enforce: Sequence[Policy] | None = None,
) -> Iterator[Recording]:
    """Record every call of every client bgtui builds (refusing what `enforce` does not
    allow), and keep the backends the CLI builds."""
    found = Recording(region, account, enforce)
    attach = CallLog.attach
    build = commands.build_backend

    def attach_and_record(self: CallLog, client: Any) -> None:
        attach(self, client)
        client.meta.events.register("before-parameter-build.*.*", found.record)
        # After the call log's own before-call handler, so a refused call is still logged.
        client.meta.events.register("before-call.*.*", found.refuse)

    def build_and_keep(*args: Any, **kwargs: Any) -> Backend:
        backend = build(*args, **kwargs)
        found.backends.append(backend)
        return backend

    monkeypatch.setattr(CallLog, "attach", attach_and_record)
    monkeypatch.setattr(commands, "build_backend", build_and_keep)
    yield found


def resources(
    action: str, params: Mapping[str, Any], model: Any, where: Recording
) -> tuple[str, ...]:
    if action in ACCOUNT_WIDE:
        return ("*",)
    service, _, name = action.partition(":")
    if service == "lambda":
        return (_lambda_arn(name, params, where),)
    if service == "apigateway":
        return (f"arn:aws:apigateway:{where.region}::{_request_path(model, params)}",)
    if action == "cloudwatch:DescribeAlarms":
        return _alarm_arns(params, where)
    if service == "logs":
        return (_log_arn(params, where),)
    raise LookupError(
        f"no resource mapping for {action}: add one to tests/reliability/aws_calls.py"
    )


def _lambda_arn(name: str, params: Mapping[str, Any], where: Recording) -> str:
    function = str(params["FunctionName"])
    if not function.startswith("arn:"):
        function = f"arn:aws:lambda:{where.region}:{where.account}:function:{function}"
    qualifier = params.get("Name") if name in ALIAS_ACTIONS else None
    if name in QUALIFIED_ACTIONS:
        qualifier = params.get("Qualifier")
    return f"{function}:{qualifier}" if qualifier else function


def _request_path(model: Any, params: Mapping[str, Any]) -> str:
    path = str(model.http["requestUri"]).split("?", 1)[0]
    for member, shape in model.input_shape.members.items():
        if shape.serialization.get("location") == "uri" and member in params:
            name = shape.serialization.get("name", member)
            path = path.replace(f"{{{name}}}", str(params[member]))
    return path


def _alarm_arns(params: Mapping[str, Any], where: Recording) -> tuple[str, ...]:
    base = f"arn:aws:cloudwatch:{where.region}:{where.account}:alarm:"
    if params.get("AlarmNames"):
        return tuple(base + name for name in params["AlarmNames"])
    # Without a prefix every alarm of the account is read.
    return (base + str(params.get("AlarmNamePrefix", "")) + "*",)


def _log_arn(params: Mapping[str, Any], where: Recording) -> str:
    group = f"arn:aws:logs:{where.region}:{where.account}:log-group:{params['logGroupName']}"
    stream = params.get("logStreamName")
    return f"{group}:log-stream:{stream}" if stream else group
