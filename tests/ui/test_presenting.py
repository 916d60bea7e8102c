"""Words and glyphs for states, the reason/override re-judging, the console's model, audit rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bgtui.app.refresh import (
    REREADS_PER_REFRESH,
    ServicesSnapshot,
    choose_reads,
    choose_rereads,
)
from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import AwsError
from bgtui.core.models import AlarmState, Colour, ServiceRef, ServiceState
from bgtui.core.policy import Policy
from bgtui.ui.audit_rows import record_detail, record_row
from bgtui.ui.labels import alarm_line, colour_label, health, stage_text
from bgtui.ui.model import ConsoleModel
from bgtui.ui.review import blocked_reason, overridable_failures, revise
from tests.ui.fake_backend import MetricsFakeAws, fake_backend


def read(aws: MetricsFakeAws, function: str, tmp_path: Path) -> ServiceState:
    backend = fake_backend(aws, tmp_path)
    return backend.catalog.read(backend.catalog.find(function))


def test_roles_read_without_colour(aws: MetricsFakeAws, tmp_path: Path) -> None:
    state = read(aws, "payments-api", tmp_path)
    assert colour_label(state, Colour.BLUE) == "LIVE ◆ blue v2"
    assert colour_label(state, Colour.GREEN) == "idle ● green v3"
    assert stage_text(state, "prod") == "prod stage → alias live = LIVE ◆ blue v2"
    assert stage_text(state, "test") == "test stage → alias green = idle ● green v3"


def test_health_ranks_live_alarms_above_idle_ones(aws: MetricsFakeAws, tmp_path: Path) -> None:
    ledger = read(aws, "ledger-writer", tmp_path)
    assert health(ledger) == "idle-alarm"
    live_alarm = AlarmState("ledger-writer-live-errors", "ALARM", "live", "errors")
    assert health(replace(ledger, alarms=(*ledger.alarms, live_alarm))) == "alarm"
    assert alarm_line(ledger.alarms_for("green")).plain == "errors ALARM · p99 OK"


def test_reason_and_override_are_judged_as_typed(aws: MetricsFakeAws, tmp_path: Path) -> None:
    backend = fake_backend(aws, tmp_path)
    ops = backend.operations
    prepared = ops.prepare_promote(ops.catalog.find("payments-api"))
    policy = ops.policy
    assert [g.name for g in overridable_failures(prepared, policy)] == ["smoke-passed"]
    assert "reason" in blocked_reason(prepared, "payments-api")
    with_reason = revise(prepared, "CHG-7", {}, policy)
    assert blocked_reason(with_reason, "payments-api") == "blocked by gate smoke-passed"
    overridden = revise(prepared, "CHG-7", {"smoke-passed": "hand-tested"}, policy)
    assert blocked_reason(overridden, "payments-ap") == "type payments-api to enable"
    assert blocked_reason(overridden, "payments-api") == ""
    unticked = revise(prepared, "CHG-7", {}, policy)
    assert unticked.blocked, "removing the override must block again"


def test_ticket_pattern_applies_while_typing(aws: MetricsFakeAws, tmp_path: Path) -> None:
    policy = Policy(ticket_pattern=r"CHG-[0-9]+")
    backend = fake_backend(aws, tmp_path, policy=policy)
    prepared = backend.operations.prepare_rollback(backend.catalog.find("payments-api"))
    gate = {g.name: g for g in revise(prepared, "because", {}, policy).gates}["reason"]
    assert not gate.passed and "CHG-[0-9]+" in gate.detail


def test_stale_keeps_the_first_failure_time() -> None:
    model = ConsoleModel()
    first = datetime(2026, 1, 1, 3, 0, 0, tzinfo=UTC)
    later = datetime(2026, 1, 1, 3, 5, 0, tzinfo=UTC)
    assert model.mark_stale("metrics", "AWS error: down", first) is True
    assert model.mark_stale("metrics", "AWS error: still down", later) is False
    assert model.stale_text() == "metrics since 03:00:00Z: AWS error: still down"
    model.stale.clear()
    assert model.stale_text() == ""
    assert model.error("x") is None


def test_refreshes_read_what_is_seen_then_sweep_the_rest() -> None:
    refs = tuple(ServiceRef(f"fn-{i:02d}", "eu-west-1") for i in range(10))
    chosen, following = choose_reads(refs, ["fn-07"], sweep_from=0, batch=3)
    assert [r.function for r in chosen] == ["fn-07", "fn-00", "fn-01", "fn-02"]
    chosen, following = choose_reads(refs, [], sweep_from=following, batch=3)
    assert [r.function for r in chosen] == ["fn-03", "fn-04", "fn-05"]
    chosen, following = choose_reads(refs, [], sweep_from=9, batch=3)
    assert [r.function for r in chosen] == ["fn-09", "fn-00", "fn-01"] and following == 2


def test_rows_on_screen_are_read_at_once_then_a_few_per_refresh() -> None:
    """However many rows are on screen, a refresh re-reads the selected service and a handful
    of the others: Lambda's control plane allows 15 requests a second for the whole account
    (Lambda quotas), API Gateway's management API 10 (API Gateway quotas)."""
    refs = tuple(ServiceRef(f"fn-{i:02d}", "eu-west-1") for i in range(30))
    on_screen = [r.function for r in refs[:20]]
    chosen, following = choose_rereads(refs, "fn-03", on_screen, set(), sweep_from=0)
    assert [r.function for r in chosen] == on_screen[3:4] + on_screen[:3] + on_screen[4:]
    read = {r.function for r in chosen}
    chosen, following = choose_rereads(refs, "fn-03", on_screen, read, sweep_from=following)
    assert [r.function for r in chosen] == ["fn-03", "fn-00", "fn-01", "fn-02", "fn-04", "fn-05"]
    seen: set[str] = set()
    for _ in range(4):  # every other row on screen within four refreshes
        chosen, following = choose_rereads(refs, "fn-03", on_screen, read, following)
        assert len(chosen) == 1 + REREADS_PER_REFRESH and chosen[0].function == "fn-03"
        seen |= {r.function for r in chosen}
    assert seen == set(on_screen)


def test_the_model_keeps_what_it_read_and_forgets_what_vanished(
    aws: MetricsFakeAws, tmp_path: Path
) -> None:
    payments, ledger = read(aws, "payments-api", tmp_path), read(aws, "ledger-writer", tmp_path)
    model = ConsoleModel()
    model.merge(ServicesSnapshot((payments,), {}, (payments.ref, ledger.ref)))
    assert model.pending == (ledger.ref,)
    model.merge(ServicesSnapshot((), {"ledger-writer": AwsError("no")}, (payments.ref, ledger.ref)))
    assert model.state("payments-api") is payments, "a service not re-read keeps its last state"
    assert str(model.error("ledger-writer")) == "no" and model.pending == ()
    model.merge(ServicesSnapshot((), {}, (ledger.ref,)))
    assert model.state("payments-api") is None and model.states == ()


def test_audit_rows_show_who_did_what_and_why() -> None:
    doc = {
        "seq": 4,
        "time": "2026-11-28T03:00:30.000000Z",
        "actor": {"aws": "arn:aws:iam::1:user/oncall", "local": "oncall@bastion"},
        "action": "promote",
        "phase": "intent",
        "function": "payments-api",
        "outcome": None,
        "reason": "CHG-1",
        "gates": [{"gate": "smoke-passed", "result": "overridden", "override": "by hand"}],
    }
    record = AuditRecord.from_json(doc)
    assert record_row(record) == (
        "2026-11-28 03:00:30",
        "?",
        "oncall@bastion",
        "promote",
        "payments-api",
        "intent",
        "CHG-1",
    )
    assert "gate smoke-passed: overridden (override: by hand)" in record_detail(record)
    emulated = AuditRecord.from_json(
        doc | {"account": "123456789012", "endpoint": "http://127.0.0.1:4599"}
    )
    assert record_row(emulated)[1] == "123456789012 (emulator)"
    assert "endpoint: http://127.0.0.1:4599" in record_detail(emulated)
    real = AuditRecord.from_json(doc | {"account": "210987654321"})
    assert record_row(real)[1] == "210987654321"
