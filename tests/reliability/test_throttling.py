"""Throttling storms over real HTTP: bgtui backs off, then says so in one line (exit 4), and
a swap is sent again only while AWS certainly refused it."""

from __future__ import annotations

from bgtui.adapters.aws.retries import WRITE_ATTEMPTS
from bgtui.adapters.aws.session import ClientSettings
from bgtui.core.errors import EXIT_AWS
from bgtui.demo.stack import ProvisionedService
from bgtui.emulator.clients import EmulatorClients
from tests.reliability.fault_proxy import FaultProxy, operation, throttling, to_service
from tests.reliability.harness import Cli, Ran, assert_trail_complete, pointers

SWAP = "lambda:UpdateAlias"


def promote(cli: Cli, fn: str, proxy: FaultProxy) -> Ran:
    return cli("promote", fn, "--to", "green", "--reason", "CHG-1", "--yes", endpoint=proxy.url)


def test_a_throttled_read_is_retried_then_reported_in_one_line(
    cli: Cli, service: ProvisionedService, proxy: FaultProxy, quick_backoff: list[tuple[int, float]]
) -> None:
    proxy.add(throttling("lambda"), operation("lambda:ListAliases"))
    ran = cli("status", service.function, "--json", endpoint=proxy.url)
    assert ran.code == EXIT_AWS, ran
    assert ran.one_line_error, ran.err
    assert "throttl" in ran.err.lower() and service.function in ran.err
    assert proxy.seen("lambda:ListAliases") == ClientSettings().read_attempts


def test_a_throttled_swap_backs_off_then_fails_and_changes_nothing(
    cli: Cli,
    service: ProvisionedService,
    proxy: FaultProxy,
    clients: EmulatorClients,
    quick_backoff: list[tuple[int, float]],
) -> None:
    assert cli("test", service.function).code == 0
    before = pointers(clients, service)
    proxy.add(throttling("lambda"), operation(SWAP))
    ran = promote(cli, service.function, proxy)
    assert ran.code == EXIT_AWS and ran.one_line_error, ran
    assert "throttling" in ran.err and "alias live" in ran.err
    assert proxy.seen(SWAP) == WRITE_ATTEMPTS
    attempts = [attempt for attempt, _ in quick_backoff]
    assert attempts == list(range(1, WRITE_ATTEMPTS)), "a backoff before every new attempt"
    assert all(delay <= 0.25 * 2**attempt for attempt, delay in quick_backoff)
    assert pointers(clients, service) == before
    outcome = cli.records(service.function)[-1]
    assert outcome.action == "promote" and outcome.outcome == "failed"
    assert outcome.error.startswith("Throttled:")
    assert_trail_complete(cli.trail())


def test_a_storm_that_passes_ends_in_exactly_one_verified_swap(
    cli: Cli,
    service: ProvisionedService,
    proxy: FaultProxy,
    clients: EmulatorClients,
    quick_backoff: list[tuple[int, float]],
) -> None:
    assert cli("test", service.function).code == 0
    proxy.add(throttling("lambda"), operation(SWAP), times=WRITE_ATTEMPTS - 1)
    ran = promote(cli, service.function, proxy)
    assert ran.code == 0, ran.err
    assert proxy.seen(SWAP) == WRITE_ATTEMPTS
    live = clients.lambda_.get_alias(FunctionName=service.function, Name="live")
    assert live["FunctionVersion"] == service.green
    assert [r.outcome for r in cli.records(service.function) if r.action == "promote"] == [
        None,
        "ok",
    ]
    assert_trail_complete(cli.trail())


def test_throttling_on_every_service_at_once_is_one_line_and_exit_4(
    cli: Cli, service: ProvisionedService, proxy: FaultProxy, quick_backoff: list[tuple[int, float]]
) -> None:
    for name in ("resourcegroupstaggingapi", "lambda", "apigateway", "cloudwatch", "sts", "logs"):
        proxy.add(throttling(name), to_service(name))
    for args in (
        ("status", "--json"),
        ("test", service.function),
        ("promote", service.function, "--reason", "CHG-2", "--yes"),
    ):
        ran = cli(*args, endpoint=proxy.url)
        assert ran.code == EXIT_AWS and ran.one_line_error, (args, ran)
