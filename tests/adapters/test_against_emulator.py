"""The adapters over real HTTP against the embedded emulator: what they read is what was written."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from bgtui.adapters.aws.apigateway import ApiGatewayStages, emulated_invoke_url
from bgtui.adapters.aws.call_log import CallLog
from bgtui.adapters.aws.cloudwatch import CloudWatchAlarms, CloudWatchMetrics
from bgtui.adapters.aws.identity import StsIdentity
from bgtui.adapters.aws.lambda_functions import LambdaFunctions
from bgtui.adapters.aws.logs import CloudWatchAuditSink
from bgtui.adapters.aws.session import AwsContext, ClientSettings, make_clients
from bgtui.core.errors import BgtuiError, Conflict, EndpointUnreachable, NotFound
from bgtui.core.models import Colour, LiveRecord, PreviousLive
from bgtui.core.ports import MetricQuery
from tests.adapters.conftest import EMULATED_REGION, Sleeps, fake_session
from tests.adapters.stack import ServiceIds, code_zip, provision


@pytest.fixture
def service(emulated: AwsContext, call_log: CallLog) -> ServiceIds:
    provisioned = provision(emulated)
    call_log.reset()
    return provisioned


@pytest.fixture
def functions(emulated: AwsContext, sleeps: Sleeps) -> LambdaFunctions:
    return LambdaFunctions(emulated, sleep=sleeps, poll_interval_s=0.01)


def test_discover_finds_tagged_functions_only(
    emulated: AwsContext, functions: LambdaFunctions
) -> None:
    tagged = provision(emulated)
    untagged = provision(emulated, tagged=False)
    found = {item.function: item for item in functions.discover()}
    assert tagged.function in found
    assert untagged.function not in found
    assert found[tagged.function].tags["bluegreen:api-id"] == tagged.api_id
    assert found[tagged.function].arn.endswith(f":function:{tagged.function}")


def test_aliases_read_and_moved_with_their_revision(
    service: ServiceIds, functions: LambdaFunctions
) -> None:
    aliases = functions.list_aliases(service.function)
    assert {name: a.version for name, a in aliases.items()} == {
        "blue": "1",
        "green": "2",
        "live": "1",
    }
    assert LiveRecord.from_description(aliases["live"].description) == LiveRecord(Colour.BLUE)
    swapped = LiveRecord(Colour.GREEN, PreviousLive(Colour.BLUE, "1")).to_description()
    moved = functions.update_alias(
        service.function, "live", "2", aliases["live"].revision_id, swapped
    )
    assert (moved.version, moved.description) == ("2", swapped)
    assert functions.get_alias(service.function, "live") == moved


def test_a_stale_revision_is_a_conflict_and_changes_nothing(
    service: ServiceIds, functions: LambdaFunctions
) -> None:
    live = functions.get_alias(service.function, "live")
    green = functions.get_alias(service.function, "green")
    record = LiveRecord(Colour.GREEN, PreviousLive(Colour.BLUE, live.version)).to_description()
    swapped = functions.update_alias(
        service.function, "live", green.version, live.revision_id, record
    )
    assert swapped.revision_id != live.revision_id
    with pytest.raises(
        Conflict, match=f"alias live of {service.function} changed .*{live.revision_id}"
    ):
        functions.update_alias(service.function, "live", live.version, live.revision_id, "")
    assert functions.get_alias(service.function, "live") == swapped


def test_two_operators_swapping_at_once_make_exactly_one_swap(
    service: ServiceIds, functions: LambdaFunctions
) -> None:
    live = functions.get_alias(service.function, "live")
    green = functions.get_alias(service.function, "green")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def swap(operator: str) -> None:
        record = LiveRecord(
            Colour.GREEN, PreviousLive(Colour.BLUE, live.version), changed_by=operator
        )
        start.wait()
        try:
            functions.update_alias(
                service.function, "live", green.version, live.revision_id, record.to_description()
            )
            outcomes.append("swapped")
        except BgtuiError as error:
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=swap, args=(name,)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Conflict", "swapped"]


def test_versions_newest_first_and_existence(
    service: ServiceIds, functions: LambdaFunctions
) -> None:
    assert [v.version for v in functions.list_versions(service.function)] == ["2", "1"]
    assert functions.version_exists(service.function, "2") is True
    assert functions.version_exists(service.function, "7") is False


def test_new_code_published_as_a_new_version(
    service: ServiceIds, functions: LambdaFunctions
) -> None:
    sha = functions.update_code(service.function, code_zip("v3"))
    published = functions.publish_version(service.function, "third")
    assert (published.version, published.code_sha256, published.description) == ("3", sha, "third")
    assert functions.list_versions(service.function)[0].version == "3"


def test_invoke_an_alias(service: ServiceIds, functions: LambdaFunctions) -> None:
    result = functions.invoke(
        service.function, "green", json.dumps({"bluegreen": "smoke"}).encode()
    )
    assert result.status_code == 200
    assert result.function_error == ""


def test_missing_function_is_not_found(functions: LambdaFunctions) -> None:
    with pytest.raises(NotFound, match="alias live of no-such-function"):
        functions.get_alias("no-such-function", "live")


def test_stages_read_and_pointed_without_losing_variables(
    emulated: AwsContext, service: ServiceIds
) -> None:
    stages = ApiGatewayStages(emulated)
    before = stages.get_stages(service.api_id)
    assert {name: s.lambda_alias for name, s in before.items()} == {"prod": "live", "test": "green"}
    endpoint = emulated.client("apigateway").meta.endpoint_url
    assert before["prod"].invoke_url == emulated_invoke_url(endpoint, service.api_id, "prod")
    assert stages.point_stage(service.api_id, "test", "blue").lambda_alias == "blue"
    after = stages.get_stages(service.api_id)
    assert {name: s.lambda_alias for name, s in after.items()} == {"prod": "live", "test": "blue"}


def test_alarm_states_by_exact_name_for_several_services_in_one_call(
    emulated: AwsContext, service: ServiceIds, call_log: CallLog
) -> None:
    other = provision(emulated)
    call_log.reset()
    alarms = CloudWatchAlarms(emulated)
    names = [
        f"{fn}-{scope}-errors"
        for fn in (service.function, other.function)
        for scope in ("blue", "green", "live")
    ]
    found = alarms.alarm_states([*names, f"{service.function}-blue-absent"])
    assert sorted(a.name for a in found) == sorted(names)
    assert {a.state for a in found} <= {"OK", "ALARM", "INSUFFICIENT_DATA"}
    assert call_log.count("cloudwatch:DescribeAlarms") == 1


def test_percentiles_are_read_like_sums(emulated: AwsContext, service: ServiceIds) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    dimensions = (("FunctionName", service.function), ("Resource", f"{service.function}:green"))
    durations = [float(ms) for ms in range(1, 101)]
    emulated.client("cloudwatch").put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Duration",
                "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions],
                "Timestamp": now - timedelta(minutes=3),
                "Values": durations,
                "Unit": "Milliseconds",
            }
        ],
    )
    query = MetricQuery("green_p99", "AWS/Lambda", "Duration", dimensions, "p99")
    series = CloudWatchMetrics(emulated).fetch([query], now - timedelta(minutes=10), now)
    assert len(series["green_p99"].values) == 1
    assert 98.0 <= series["green_p99"].values[0] <= 100.0


def test_metric_series_come_back_in_order_without_filled_gaps(
    emulated: AwsContext, service: ServiceIds
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    dimensions = (
        ("FunctionName", service.function),
        ("Resource", f"{service.function}:live"),
        ("ExecutedVersion", "1"),
    )
    written = {now - timedelta(minutes=5): 3.0, now - timedelta(minutes=2): 1.0}
    emulated.client("cloudwatch").put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Invocations",
                "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions],
                "Timestamp": stamp,
                "Value": value,
            }
            for stamp, value in written.items()
        ],
    )
    query = MetricQuery("blue_invocations", "AWS/Lambda", "Invocations", dimensions, "Sum")
    empty = MetricQuery("green_invocations", "AWS/Lambda", "Invocations", dimensions[:2], "Sum")
    series = CloudWatchMetrics(emulated).fetch([query, empty], now - timedelta(minutes=10), now)
    assert series["blue_invocations"].timestamps == tuple(sorted(written))
    assert series["blue_invocations"].values == (3.0, 1.0)
    assert series["green_invocations"].values == ()


def test_audit_lines_land_in_the_log_group_in_order(
    emulated: AwsContext, service: ServiceIds, sleeps: Sleeps
) -> None:
    sink = CloudWatchAuditSink(emulated, sleep=sleeps, host="bastion-1")
    sink.ship(service.log_group, ['{"n":1}', '{"n":2}'])
    sink.ship(service.log_group, ['{"n":3}'])
    logs = emulated.client("logs")
    streams = logs.describe_log_streams(logGroupName=service.log_group)["logStreams"]
    assert [s["logStreamName"] for s in streams] == [f"bastion-1/{datetime.now(UTC):%Y-%m-%d}"]
    events = logs.get_log_events(
        logGroupName=service.log_group, logStreamName=streams[0]["logStreamName"]
    )["events"]
    assert [e["message"] for e in events] == ['{"n":1}', '{"n":2}', '{"n":3}']


def test_identity_of_the_caller(emulated: AwsContext) -> None:
    identity = StsIdentity(emulated, user=lambda: "alice", host=lambda: "bastion-1").whoami()
    assert identity.account == "123456789012"
    assert identity.local == "alice@bastion-1"


def test_a_closed_port_is_unreachable() -> None:
    settings = ClientSettings(connect_timeout_s=0.5, read_attempts=1)
    closed = make_clients(
        None,
        EMULATED_REGION,
        "http://127.0.0.1:9",
        session=fake_session(),
        environ={},
        settings=settings,
    )
    with pytest.raises(EndpointUnreachable, match=r"cannot reach http://127\.0\.0\.1:9 "):
        LambdaFunctions(closed).list_aliases("payments-api")


def test_a_status_read_costs_two_calls_and_little_time(
    service: ServiceIds, functions: LambdaFunctions, call_log: CallLog
) -> None:
    started = time.perf_counter()
    functions.discover()
    functions.list_aliases(service.function)
    elapsed = time.perf_counter() - started
    # The tests share the emulator's region, so discovery may take more than one page.
    assert set(call_log.counts()) == {"tag:GetResources", "lambda:ListAliases"}
    assert call_log.count("lambda:ListAliases") == 1
    # Measured at 10-40 ms on a local emulated server; the bound only catches a pathological change.
    assert elapsed < 2.0
