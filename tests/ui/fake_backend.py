"""A backend over FakeAws with deterministic metric series and a fixed clock, for UI tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.models import AlarmState
from bgtui.core.operations import BlueGreen
from bgtui.core.policy import Policy
from bgtui.core.ports import MetricQuery, MetricSeries
from tests.fakes import FakeAws

NOW = datetime(2026, 11, 28, 3, 0, 30, tzinfo=UTC)
GAP_MINUTE = 7
"""Minutes ago that CloudWatch has no datapoint for (drawn as a gap, never as zero)."""


class MetricsFakeAws(FakeAws):
    """FakeAws whose GetMetricData answers with fixed per-minute series; the newest minute lags."""

    def __init__(self) -> None:
        super().__init__()
        self.metrics_error: Exception | None = None
        self.fetches: list[int] = []

    def fetch(
        self, queries: Sequence[MetricQuery], start: datetime, end: datetime
    ) -> dict[str, MetricSeries]:
        self._call("cloudwatch:GetMetricData")
        self.fetches.append(len(queries))
        if self.metrics_error is not None:
            raise self.metrics_error
        minutes = int((end - start).total_seconds() // 60)
        stamps = [start + timedelta(minutes=i) for i in range(minutes - 1)]
        return {q.id: self._series(q, stamps) for q in queries}

    def _series(self, query: MetricQuery, stamps: list[datetime]) -> MetricSeries:
        points = [
            (at, value)
            for index, at in enumerate(stamps)
            if len(stamps) - index != GAP_MINUTE
            and (value := self._value(query, index)) is not None
        ]
        return MetricSeries(query.id, tuple(p[0] for p in points), tuple(p[1] for p in points))

    def _value(self, query: MetricQuery, minute: int) -> float | None:
        dims = dict(query.dimensions)
        wave = (minute * 7) % 5
        if "ApiName" in dims:
            return {"Count": 120.0 + wave, "5XXError": 1.0, "4XXError": 2.0}.get(
                query.metric, 200.0 + 10 * wave
            )
        fn = self.functions.get(dims.get("FunctionName", ""))
        if fn is None:
            return None
        resource = dims.get("Resource", "")
        if resource.endswith(":live"):
            version = dims.get("ExecutedVersion", "")
            if version != fn.aliases["live"].version:
                return None
            broken = version in fn.broken
            calls = 100.0 + 5 * wave
        else:
            alias = fn.aliases.get(resource.rsplit(":", 1)[-1])
            broken = alias is not None and alias.version in fn.broken
            calls = 4.0
        return {
            "Invocations": calls,
            "Errors": calls if broken else float(wave % 2),
            "Throttles": 0.0,
        }.get(query.metric, 900.0 + 20 * wave if broken else 150.0 + 10 * wave)


def demo_aws(aws: MetricsFakeAws | None = None) -> MetricsFakeAws:
    """Two services with alarms and API names; into `aws` when given (a fake with a twist)."""
    aws = MetricsFakeAws() if aws is None else aws
    aws.add_service("payments-api")
    aws.add_service("ledger-writer", broken=["3"])
    for fn, api in (("payments-api", "api0"), ("ledger-writer", "api1")):
        aws.functions[fn].tags["bluegreen:api-name"] = f"{fn}-api"
        aws.functions[fn].tags["bluegreen:api-id"] = api
        for scope in ("blue", "green", "live"):
            for metric in ("errors", "p99"):
                firing = fn == "ledger-writer" and scope == "green" and metric == "errors"
                state = "ALARM" if firing else "OK"
                aws.alarms.append(AlarmState(f"{fn}-{scope}-{metric}", state, scope, metric))
    return aws


def fake_backend(
    aws: FakeAws,
    audit_dir: Path,
    policy: Policy | None = None,
    clock: object = None,
    region: str = "eu-west-1",
    **settings_fields: Any,
) -> Backend:
    now = clock or (lambda: NOW)
    settings = Settings(
        region=region,
        endpoint_url="http://127.0.0.1:4599",
        refresh_seconds=0,
        window_minutes=30,
        audit_path=audit_dir / "audit.jsonl",
        policy=policy or Policy(),
        # Where a demo run keeps the root of its services (the runner itself is faked).
        terraform_dir=str(audit_dir / "run" / "terraform" / "examples" / "emulator"),
        **settings_fields,
    )
    catalog = Catalog(aws, aws, aws, region, clock=now)  # type: ignore[arg-type]
    trail = AuditTrail(settings.audit_path, clock=now)  # type: ignore[arg-type]
    operations = BlueGreen(
        catalog,
        aws,
        aws,
        trail,
        aws,
        settings.policy,
        sink=aws,
        clock=now,  # type: ignore[arg-type]
    )
    return Backend(settings, catalog, operations, aws, trail, clock=now)  # type: ignore[arg-type]


def read_only(policy: Policy | None = None) -> Policy:
    return replace(policy or Policy(), read_only=True)
