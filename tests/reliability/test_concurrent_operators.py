"""Four operators, four `bgtui` processes, one service, all at once: every swap that happens is
one its operator confirmed, the others exit 3 (conflict) or 1 (a gate said no), and the end
state is one a single operator could have produced."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bgtui.core.audit_record import AuditRecord
from bgtui.core.errors import EXIT_CONFLICT, EXIT_OK, EXIT_REFUSED
from bgtui.core.models import LiveRecord
from bgtui.demo.stack import ProvisionedService
from bgtui.emulator.clients import EmulatorClients
from tests.reliability.harness import Cli, assert_trail_complete

# What each operator asked for; `--to`/`--from` state what they believe is live.
REQUESTS = (
    ("promote", "--to", "green"),
    ("promote",),
    ("rollback", "--from", "green"),
    ("rollback",),
)
# A gate may legitimately refuse: nothing to roll back to yet, or no smoke run of blue's version.
REFUSING_GATES = {"rollback": "previous-known", "promote": "smoke-passed"}


@dataclass
class Operator:
    """One racing process and what it left in the shared audit trail."""

    number: int
    request: tuple[str, ...]
    process: subprocess.Popen[str]
    code: int = -1
    err: str = ""

    @property
    def reason(self) -> str:
        return f"operator {self.number}"

    @property
    def action(self) -> str:
        return self.request[0]

    def own(self, records: list[AuditRecord]) -> list[AuditRecord]:
        return [r for r in records if r.reason == self.reason]


def start(operators_home: Path, endpoint: str, fn: str) -> list[Operator]:
    env = {
        **os.environ,
        "XDG_STATE_HOME": str(operators_home / "state"),
        "XDG_CONFIG_HOME": str(operators_home / "config"),
    }
    racing = []
    for number, request in enumerate(REQUESTS, start=1):
        argv = [sys.executable, "-m", "bgtui", "--endpoint-url", endpoint, request[0], fn]
        argv += [*request[1:], "--reason", f"operator {number}", "--yes"]
        process = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        racing.append(Operator(number, request, process))
    for operator in racing:
        _, operator.err = operator.process.communicate(timeout=120)
        operator.code = operator.process.returncode
    return racing


def check_what_each_operator_was_told(operator: Operator, records: list[AuditRecord]) -> None:
    mine = operator.own(records)
    assert mine, f"{operator.reason} left no record"
    last = mine[-1]
    if operator.code == EXIT_OK:
        assert [(r.phase, r.outcome) for r in mine] == [("intent", None), ("outcome", "ok")]
        return
    assert len(operator.err.strip().splitlines()) == 1, operator.err
    assert "Traceback" not in operator.err
    if operator.code == EXIT_CONFLICT:
        assert last.outcome == "conflict", (operator, mine)
    elif operator.code == EXIT_REFUSED:
        failed = [g.name for g in last.gates if g.verdict == "FAIL"]
        assert last.outcome == "refused" and failed == [REFUSING_GATES[operator.action]], mine
        assert all(r.phase == "outcome" for r in mine), "a refusal writes no intent"
    else:
        raise AssertionError(f"{operator.reason} exited {operator.code}: {operator.err}")


def check_swaps_form_one_history(swaps: list[AuditRecord]) -> None:
    """Each swap started from the state the one before it produced, from its own revision."""
    colour = "blue"
    for swap in swaps:
        assert swap.before["live_colour"] == colour, swaps
        colour = swap.target.colour
    revisions = [swap.before["live"]["revision"] for swap in swaps]
    assert len(set(revisions)) == len(revisions), "two swaps from one observed revision"


def test_racing_operators_swap_only_what_they_confirmed(
    cli: Cli, service: ProvisionedService, clients: EmulatorClients
) -> None:
    fn = service.function
    assert cli("test", fn).code == 0
    operators = start(cli.home, cli.endpoint, fn)
    records = cli.trail().records()

    for operator in operators:
        check_what_each_operator_was_told(operator, records)
    swaps = [
        r for r in records if r.phase == "outcome" and r.outcome == "ok" and r.intent is not None
    ]
    winners = sorted(o.reason for o in operators if o.code == EXIT_OK)
    assert sorted(s.reason for s in swaps) == winners and winners, operators
    check_swaps_form_one_history(swaps)
    assert_trail_complete(cli.trail())

    aliases = {a["Name"]: a for a in clients.lambda_.list_aliases(FunctionName=fn)["Aliases"]}
    record = LiveRecord.from_description(aliases["live"]["Description"])
    last = swaps[-1]
    assert record is not None and record.colour == last.target.colour
    assert aliases["live"]["FunctionVersion"] == aliases[record.colour]["FunctionVersion"]
    assert record.previous is not None
    assert (record.previous.colour, record.previous.version) == (
        last.before["live_colour"],
        last.before["live"]["version"],
    )
    stages = clients.apigateway.get_stages(restApiId=service.api_id)["item"]
    test_stage = next(s for s in stages if s["stageName"] == "test")
    assert test_stage["variables"]["lambdaAlias"] == record.colour.other
