"""Lambda alias RevisionId: rotated on every write, and a stale one refused with 412."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bgtui.demo.stack import provision_service
from bgtui.emulator.clients import EmulatorClients


@pytest.fixture
def lambda_(clean_emulator: str) -> Any:
    provision_service(clean_emulator, "orders", versions=3)
    return EmulatorClients(clean_emulator).lambda_


def test_every_update_returns_a_new_revision_that_reads_agree_on(lambda_: Any) -> None:
    before = lambda_.get_alias(FunctionName="orders", Name="live")["RevisionId"]
    updated = lambda_.update_alias(
        FunctionName="orders", Name="live", FunctionVersion="3", RevisionId=before
    )
    assert updated["RevisionId"] != before and updated["FunctionVersion"] == "3"
    assert (
        lambda_.get_alias(FunctionName="orders", Name="live")["RevisionId"] == updated["RevisionId"]
    )
    listed = {
        a["Name"]: a["RevisionId"] for a in lambda_.list_aliases(FunctionName="orders")["Aliases"]
    }
    assert listed["live"] == updated["RevisionId"]


def test_an_update_without_a_revision_still_rotates_it(lambda_: Any) -> None:
    before = lambda_.get_alias(FunctionName="orders", Name="blue")["RevisionId"]
    after = lambda_.update_alias(FunctionName="orders", Name="blue", Description="x")
    assert after["RevisionId"] != before and after["Description"] == "x"


def test_each_alias_is_created_with_its_own_revision(lambda_: Any) -> None:
    revisions = [a["RevisionId"] for a in lambda_.list_aliases(FunctionName="orders")["Aliases"]]
    assert len(set(revisions)) == 3


def test_a_stale_revision_is_refused_with_412_and_nothing_changes(lambda_: Any) -> None:
    stale = lambda_.get_alias(FunctionName="orders", Name="live")["RevisionId"]
    lambda_.update_alias(FunctionName="orders", Name="live", FunctionVersion="3", RevisionId=stale)
    with pytest.raises(ClientError) as refused:
        lambda_.update_alias(
            FunctionName="orders", Name="live", FunctionVersion="1", RevisionId=stale
        )
    assert refused.value.response["Error"]["Code"] == "PreconditionFailedException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert lambda_.get_alias(FunctionName="orders", Name="live")["FunctionVersion"] == "3"


def test_concurrent_writers_with_one_observed_revision_exactly_one_wins(
    clean_emulator: str, lambda_: Any
) -> None:
    observed = lambda_.get_alias(FunctionName="orders", Name="live")["RevisionId"]
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def swap(version: str) -> None:
        client = EmulatorClients(clean_emulator).lambda_
        start.wait()
        try:
            client.update_alias(
                FunctionName="orders", Name="live", FunctionVersion=version, RevisionId=observed
            )
            outcomes.append(f"ok:{version}")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])

    threads = [threading.Thread(target=swap, args=(str(1 + i % 3),)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o.startswith("ok:")]
    assert len(winners) == 1
    assert outcomes.count("PreconditionFailedException") == 7
    final = lambda_.get_alias(FunctionName="orders", Name="live")["FunctionVersion"]
    assert winners == [f"ok:{final}"]


def test_an_unknown_version_is_still_rejected(lambda_: Any) -> None:
    with pytest.raises(ClientError) as refused:
        lambda_.update_alias(FunctionName="orders", Name="live", FunctionVersion="99")
    assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"
