"""`bgtui demo`'s world: the emulator in its own process with the demo stack and its history,
the Terraform root of the demo's services in the run's directory, and nothing left after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3

from bgtui.demo.runner import demo_world
from bgtui.demo.tf_adopt import IMPORTS_FILE

REPO = Path(__file__).resolve().parents[2]


def test_the_demo_world_runs_apart_and_leaves_nothing_behind() -> None:
    with demo_world(interval_s=60) as world:
        assert world.provisioned_by == "boto3"
        assert world.functions == ["payments-api", "ledger-writer", "fx-rates"]
        assert world.emulator.history_written.wait(60), "the first minutes never arrived"
        cloudwatch = boto3.client("cloudwatch", endpoint_url=world.endpoint_url)
        listed = cloudwatch.list_metrics(Namespace="AWS/Lambda")["Metrics"]
        assert listed, "the first minutes of traffic are written while the console starts"
        end = datetime.now(UTC)
        live = [
            {"Name": "FunctionName", "Value": "payments-api"},
            {"Name": "Resource", "Value": "payments-api:live"},
        ]
        metric = {"Namespace": "AWS/Lambda", "MetricName": "Invocations", "Dimensions": live}
        answer = cloudwatch.get_metric_data(
            MetricDataQueries=[
                {"Id": "calls", "MetricStat": {"Metric": metric, "Period": 60, "Stat": "Sum"}}
            ],
            StartTime=end - timedelta(minutes=30),
            EndTime=end,
        )
        minutes = answer["MetricDataResults"][0]["Values"]
        assert len(minutes) >= 25 and sum(minutes) > 0, "half an hour of history, readable"
        run_dir, root, process = world.run_dir, world.terraform_root, world.emulator.process
        assert run_dir is not None and root is not None and root.is_relative_to(run_dir)
        assert not (root / IMPORTS_FILE).exists(), "prepared off the way to the first frame"
        world.background.start()  # what the console's first metrics read does
        world.background.start()
        world.background.join(60)
        assert "payments-api" in (root / IMPORTS_FILE).read_text()
        assert world.background.traffic is not None and world.background.traffic.running
    assert process.poll() == 0, "the emulator's process ended cleanly"
    assert not run_dir.exists()
    assert not list((REPO / "terraform").rglob("imports.tf"))


def test_the_first_metrics_read_waits_for_the_history_then_starts_the_background() -> None:
    import threading
    from datetime import UTC, datetime

    from bgtui.demo.runner import AfterHistory

    history, started, asked = threading.Event(), [], []

    class Metrics:
        def fetch(self, queries: object, start: datetime, end: datetime) -> dict[str, object]:
            asked.append(history.is_set())
            return {}

    metrics = AfterHistory(Metrics(), history, lambda: started.append(True))
    now = datetime.now(UTC)
    reader = threading.Thread(target=metrics.fetch, args=((), now, now))
    reader.start()
    reader.join(0.2)
    assert reader.is_alive() and not asked, "read before the history was written"
    history.set()
    reader.join(5)
    assert asked == [True] and started == [True]
