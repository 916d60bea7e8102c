"""The endpoint vanishing around a write: the outcome is recorded as unknown (or failed when a
re-read proves the write did not land), never claimed, and settled by the next `status`."""

from __future__ import annotations

import pytest

from bgtui.core.errors import EXIT_REFUSED
from bgtui.demo.stack import ProvisionedService
from bgtui.emulator.clients import EmulatorClients
from tests.reliability.fault_proxy import Drop, Fault, FaultProxy, GoDown, LoseAnswer, operation
from tests.reliability.harness import Cli, Ran, assert_trail_complete, pointers

SWAP = "lambda:UpdateAlias"
VERIFY = "lambda:GetAlias"


def promote(cli: Cli, fn: str, proxy: FaultProxy) -> Ran:
    return cli("promote", fn, "--to", "green", "--reason", "CHG-5", "--yes", endpoint=proxy.url)


def live_version(clients: EmulatorClients, fn: str) -> str:
    return str(clients.lambda_.get_alias(FunctionName=fn, Name="live")["FunctionVersion"])


def outcomes(cli: Cli, fn: str, action: str = "promote") -> list[str | None]:
    return [r.outcome for r in cli.records(fn) if r.action == action]


@pytest.mark.parametrize(
    ("fault", "on", "landed"),
    [
        (GoDown(), SWAP, False),
        (LoseAnswer(then_down=True), SWAP, True),
        (GoDown(), VERIFY, True),
    ],
    ids=["lost-before-the-write", "lost-with-the-answer", "lost-before-verifying"],
)
def test_an_unknown_outcome_is_recorded_never_claimed_and_settled_by_status(
    cli: Cli,
    service: ProvisionedService,
    proxy: FaultProxy,
    clients: EmulatorClients,
    quick_backoff: list[tuple[int, float]],
    fault: Fault,
    on: str,
    landed: bool,
) -> None:
    assert cli("test", service.function).code == 0
    proxy.add(fault, operation(on), times=1)
    ran = promote(cli, service.function, proxy)
    assert ran.code == EXIT_REFUSED and ran.one_line_error, ran
    assert "outcome unknown" in ran.err and "reconcile" in ran.err
    assert "ok:" not in ran.out, "a swap that was not verified is never reported as done"
    assert proxy.seen(SWAP) == 1, "an ambiguous write is re-read, never sent again"
    assert outcomes(cli, service.function) == [None, "unknown"]
    assert live_version(clients, service.function) == (service.green if landed else service.blue)

    proxy.come_back()
    ran = cli("status", service.function, "--json", endpoint=proxy.url)
    assert ran.code == 0, ran.err
    verdict = "did take effect" if landed else "did not take effect"
    assert ran.err.count("\n") == 1 and verdict in ran.err, ran.err
    reconciled = cli.records(service.function)[-1]
    assert reconciled.action == "reconcile" and reconciled.applied is landed
    assert cli("status", service.function).err == "", "an outcome is settled once"
    assert_trail_complete(cli.trail())


def test_a_request_dropped_on_the_way_is_failed_after_a_re_read_and_changes_nothing(
    cli: Cli, service: ProvisionedService, proxy: FaultProxy, clients: EmulatorClients
) -> None:
    assert cli("test", service.function).code == 0
    before = pointers(clients, service)
    proxy.add(Drop(), operation(SWAP), times=1)
    ran = promote(cli, service.function, proxy)
    assert ran.code == EXIT_REFUSED and ran.one_line_error, ran
    assert "was not changed" in ran.err
    assert proxy.seen(SWAP) == 1 and proxy.seen(VERIFY) == 1
    assert pointers(clients, service) == before
    assert outcomes(cli, service.function) == [None, "failed"]
    assert_trail_complete(cli.trail())


def test_a_lost_answer_is_settled_by_re_reading_and_the_swap_is_verified(
    cli: Cli, service: ProvisionedService, proxy: FaultProxy, clients: EmulatorClients
) -> None:
    assert cli("test", service.function).code == 0
    proxy.add(LoseAnswer(), operation(SWAP), times=1)
    ran = promote(cli, service.function, proxy)
    assert ran.code == 0, ran.err
    assert proxy.seen(SWAP) == 1
    assert live_version(clients, service.function) == service.green
    assert outcomes(cli, service.function) == [None, "ok"]
    assert_trail_complete(cli.trail())


def test_a_deploy_with_an_unknown_outcome_is_settled_from_the_colour_it_moved(
    cli: Cli,
    service: ProvisionedService,
    proxy: FaultProxy,
    clients: EmulatorClients,
    quick_backoff: list[tuple[int, float]],
) -> None:
    proxy.add(LoseAnswer(then_down=True), operation(SWAP), times=1)
    ran = cli(
        "deploy",
        service.function,
        "--version",
        "1",
        "--reason",
        "CHG-6",
        "--yes",
        endpoint=proxy.url,
    )
    assert ran.code == EXIT_REFUSED and "outcome unknown" in ran.err, ran
    green = clients.lambda_.get_alias(FunctionName=service.function, Name="green")
    assert green["FunctionVersion"] == "1"
    proxy.come_back()
    ran = cli("status", service.function, endpoint=proxy.url)
    assert ran.code == 0 and "did take effect" in ran.err, ran
    assert cli.records(service.function)[-1].applied is True
    assert_trail_complete(cli.trail())
