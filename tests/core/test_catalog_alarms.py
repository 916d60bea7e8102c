"""Alarms are read by exact name, all services together; a refused or failed read leaves the
service readable, its alarms marked unreadable, and fails only the idle-alarms gate."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog, watched_alarms
from bgtui.core.errors import Refused
from bgtui.core.models import AlarmState, AliasState, ServiceRef, ServiceState
from bgtui.core.operations import BlueGreen
from tests.core.conftest import NOW, make_ops
from tests.core.test_operations import promote
from tests.fakes import FakeAws


def six_alarms(aws: FakeAws, function: str, firing: str = "") -> None:
    for name, (scope, kind) in watched_alarms(ServiceRef(function, "eu-west-1")).items():
        state = "ALARM" if name == firing else "OK"
        aws.alarms.append(AlarmState(name, state, scope, kind))


@pytest.fixture
def catalog(aws: FakeAws) -> Catalog:
    for function in aws.functions:
        six_alarms(aws, function)
    # Another service's alarm, sharing the prefix: not payments-api's.
    aws.alarms.append(AlarmState("payments-api-v2-blue-errors", "ALARM", "blue", "errors"))
    return Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW)


def test_the_module_names_six_alarms_from_the_prefix_a_tag_or_configuration_may_change() -> None:
    assert watched_alarms(ServiceRef("orders", "eu-west-1")) == {
        "orders-blue-errors": ("blue", "errors"),
        "orders-blue-p99": ("blue", "p99"),
        "orders-green-errors": ("green", "errors"),
        "orders-green-p99": ("green", "p99"),
        "orders-live-errors": ("live", "errors"),
        "orders-live-p99": ("live", "p99"),
    }
    moved = watched_alarms(ServiceRef("orders", "eu-west-1", alarm_prefix="team-orders-"))
    assert sorted(moved)[0] == "team-orders-blue-errors"


def test_every_service_is_read_in_one_call_by_name(catalog: Catalog, aws: FakeAws) -> None:
    states = catalog.read_many(catalog.discover())
    assert aws.calls.count("cloudwatch:DescribeAlarms") == 1
    for state in states:
        assert not isinstance(state, Exception)
        assert len(state.alarms) == 6 and not state.alarms_unreadable
        assert all(a.name.startswith(f"{state.ref.function}-") for a in state.alarms)
        assert {(a.scope, a.metric) for a in state.alarms} == set(
            watched_alarms(state.ref).values()
        )
    payments = next(s for s in states if s.ref.function == "payments-api")
    assert "payments-api-v2-blue-errors" not in {a.name for a in payments.alarms}


def test_a_refused_service_is_asked_for_alone_and_only_its_alarms_are_unreadable(
    catalog: Catalog, aws: FakeAws
) -> None:
    aws.refused_alarms.add("ledger-writer-live-p99")
    first = {s.ref.function: s for s in catalog.read_many(catalog.discover())}
    assert first["ledger-writer"].alarms_unreadable.startswith("access denied")
    assert first["ledger-writer"].alarms == ()
    assert len(first["payments-api"].alarms) == 6
    assert not first["payments-api"].alarms_unreadable
    # The refused shared call, then each service alone.
    assert aws.calls.count("cloudwatch:DescribeAlarms") == 3
    aws.calls.clear()
    catalog.read_many(catalog.discover())
    assert aws.calls.count("cloudwatch:DescribeAlarms") == 2, "the others together, it alone"
    aws.refused_alarms.clear()
    aws.calls.clear()
    again = catalog.read(catalog.find("ledger-writer"))
    assert len(again.alarms) == 6 and not again.alarms_unreadable
    catalog.read_many(catalog.discover())
    assert aws.calls.count("cloudwatch:DescribeAlarms") == 2, "allowed again: back together"


def test_an_unreachable_cloudwatch_is_not_asked_again_service_by_service(
    catalog: Catalog, aws: FakeAws
) -> None:
    aws.unreachable_on.add("cloudwatch:DescribeAlarms")
    states = catalog.read_many(catalog.discover())
    assert aws.calls.count("cloudwatch:DescribeAlarms") == 1
    assert all(not isinstance(s, Exception) and s.alarms_unreadable for s in states)


def test_unreadable_alarms_fail_only_the_idle_alarms_gate_which_may_be_overridden(
    aws: FakeAws, ops: BlueGreen
) -> None:
    six_alarms(aws, "payments-api")
    aws.refused_alarms.add("payments-api-blue-errors")
    ops.run_smoke(ops.catalog.find("payments-api"))
    change = ops.prepare_promote(ops.catalog.find("payments-api"), reason="CHG-1")
    assert [g.name for g in change.failed_gates] == ["idle-alarms"]
    assert "alarms unreadable: access denied" in change.failed_gates[0].detail
    with pytest.raises(Refused, match="idle-alarms"):
        promote(ops)
    result = promote(ops, overrides={"idle-alarms": "CloudWatch read denied, checked by hand"})
    assert result.state_after is not None and result.state_after.live.version == "3"
    rollback = ops.prepare_rollback(ops.catalog.find("payments-api"), reason="CHG-2")
    assert not rollback.blocked, rollback.failed_gates
    rolled = ops.execute(rollback, rollback.confirmation_text)
    assert rolled.state_after is not None and rolled.state_after.live.version == "2"


def test_a_firing_idle_alarm_read_by_name_blocks(aws: FakeAws, trail: AuditTrail) -> None:
    six_alarms(aws, "payments-api", firing="payments-api-green-p99")
    ops = make_ops(aws, trail)
    ops.run_smoke(ops.catalog.find("payments-api"))
    with pytest.raises(Refused, match="payments-api-green-p99"):
        promote(ops)


class SlowAlarms(FakeAws):
    """DescribeAlarms that answers only once an alias read has started (or after 2 s)."""

    def __init__(self) -> None:
        super().__init__()
        self.alias_read = threading.Event()
        self.overlapped = False

    def list_aliases(self, function: str) -> dict[str, AliasState]:
        self.alias_read.set()
        return super().list_aliases(function)

    def alarm_states(self, names: Sequence[str]) -> list[AlarmState]:
        self.overlapped = self.alias_read.wait(timeout=2.0)
        return super().alarm_states(names)


def test_the_alarms_are_read_while_the_aliases_and_stages_are() -> None:
    """The alarm read (a call per 100 names) no longer comes before the per-service reads: on
    a thousand services it is 60 DescribeAlarms calls, one after another."""
    aws = SlowAlarms()
    for index in range(12):
        aws.add_service(f"svc-{index:02d}")
        six_alarms(aws, f"svc-{index:02d}", firing="svc-03-live-errors")
    catalog = Catalog(aws, aws, aws, "eu-west-1", clock=lambda: NOW, parallelism=4)
    states = catalog.read_many(catalog.discover())
    assert aws.overlapped
    assert aws.calls.count("cloudwatch:DescribeAlarms") == 1
    assert [s.ref.function for s in states if isinstance(s, ServiceState)] == [
        f"svc-{index:02d}" for index in range(12)
    ]
    firing = {
        s.ref.function
        for s in states
        if isinstance(s, ServiceState) and any(a.firing for a in s.alarms)
    }
    assert firing == {"svc-03"}
