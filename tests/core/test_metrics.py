"""The metrics of one refresh: query ids AWS accepts, dimensions in written order, gaps kept."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import botocore

from bgtui.core.metrics import (
    APIGW,
    GroupHealth,
    MinuteSeries,
    assemble,
    plan_refresh,
    window_minutes,
)
from bgtui.core.models import Colour
from bgtui.core.ports import MetricSeries
from tests.core.states import state_of

END = datetime(2026, 11, 28, 3, 4, 40, tzinfo=UTC)


def metric_id_rule() -> str:
    """The rule for a GetMetricData query id, as botocore's CloudWatch model documents it."""
    models = Path(botocore.__file__).parent / "data" / "cloudwatch"
    path = next(models.glob("*/service-2.json.gz"))
    shapes = json.loads(gzip.decompress(path.read_bytes()))["shapes"]
    return str(shapes["MetricDataQuery"]["members"]["Id"]["documentation"])


def test_query_ids_are_what_get_metric_data_accepts() -> None:
    """botocore's CloudWatch model (MetricDataQuery.Id): letters, numbers and underscore, the
    first a lowercase letter, unique within one call."""
    rule = metric_id_rule()
    assert "letters, numbers, and underscore" in rule and "lowercase letter" in rule
    states = [state_of(function="payments-api"), state_of(Colour.GREEN, function="ledger.v2")]
    plan = plan_refresh(states, {"payments-api": "payments", "ledger.v2": "ledger"})
    ids = [q.id for q in plan.queries]
    assert len(ids) == len(set(ids)) == len(plan.keys)
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9_]*", i) for i in ids), ids


def test_stage_queries_name_the_api_then_the_stage() -> None:
    plan = plan_refresh([state_of()], {"payments-api": "payments"})
    stage = [q for q in plan.queries if q.namespace == APIGW]
    assert {q.dimensions for q in stage} == {
        (("ApiName", "payments"), ("Stage", "prod")),
        (("ApiName", "payments"), ("Stage", "test")),
    }
    assert not [q for q in plan_refresh([state_of()], {}).queries if q.namespace == APIGW]


def test_production_traffic_of_a_colour_is_the_live_alias_running_its_version() -> None:
    plan = plan_refresh([state_of()], {})
    prod = {
        plan.keys[q.id].group: q.dimensions
        for q in plan.queries
        if plan.keys[q.id].traffic == "prod" and plan.keys[q.id].metric == "errors"
    }
    assert prod["green"] == (
        ("FunctionName", "payments-api"),
        ("Resource", "payments-api:live"),
        ("ExecutedVersion", "3"),
    )


def test_the_window_ends_on_the_current_minute() -> None:
    minutes = window_minutes(END, 3)
    assert minutes == tuple(datetime(2026, 11, 28, 3, m, tzinfo=UTC) for m in (2, 3, 4))


def test_datapoints_land_on_their_minute_and_a_missing_minute_stays_a_gap() -> None:
    plan = plan_refresh([state_of()], {"payments-api": "payments"})
    minutes = window_minutes(END, 3)
    qid = next(
        i
        for i, k in plan.keys.items()
        if (k.group, k.traffic, k.metric) == ("blue", "prod", "errors")
    )
    stage_id = next(
        i for i, k in plan.keys.items() if k.group == "stage:test" and k.metric == "count"
    )
    early = minutes[0] - timedelta(minutes=5)
    series = {
        qid: MetricSeries(
            qid, (minutes[0] + timedelta(seconds=1), early, minutes[2]), (4.0, 9.0, 0.0)
        ),
        stage_id: MetricSeries(stage_id, (minutes[1],), (12.0,)),
    }
    health = assemble(plan, series, minutes)["payments-api"]
    assert health.group("blue:prod").get("errors").values == (4.0, None, 0.0)
    assert health.group("stage:test").get("count").values == (None, 12.0, None)
    assert health.group("green:prod").get("errors").values == (None, None, None)
    assert health.incomplete == 2


def test_the_error_rate_is_a_percentage_and_a_minute_without_calls_is_a_gap() -> None:
    group = GroupHealth(
        {
            "errors": MinuteSeries((1.0, None, 0.0, None)),
            "invocations": MinuteSeries((4.0, 10.0, 0.0, None)),
        }
    )
    assert group.error_rate().values == (25.0, 0.0, None, None)


def test_the_latest_value_may_skip_the_minutes_still_filling() -> None:
    series = MinuteSeries((1.0, 2.0, None, 3.0))
    assert series.latest() == 3.0
    assert series.latest(complete_only=1) == 2.0
    assert MinuteSeries((None, None)).latest() is None
