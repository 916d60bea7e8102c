"""The automatic rollback a breached watch makes: a manual rollback from the state already read."""

from __future__ import annotations

from bgtui.core import gates as gate_checks
from bgtui.core.change import Action, Change, OperationResult
from bgtui.core.errors import Refused
from bgtui.core.models import ServiceState
from bgtui.core.operations import BlueGreen
from bgtui.core.policy import Policy
from bgtui.core.watch import WatchReport


def auto_rollback_change(state: ServiceState, report: WatchReport, by: str) -> Change:
    """The rollback to the version recorded at promote, with the rule and measured values.

    It carries the state the breach was seen in, so the swap is the next call: if anyone
    changed `live` since, its revision id no longer matches and nothing is overwritten.
    """
    previous = state.previous
    if previous is None:
        raise Refused(f"cannot roll {state.ref.function} back: no previous live version recorded")
    gate = gate_checks.rollback_gates(state, "", Policy(require_reason=False))[0]
    return Change(
        Action.AUTO_ROLLBACK,
        state,
        (gate,),
        f"watch breach: {report.measured}",
        previous.colour,
        previous.version,
        typed_confirmation=False,
        recorded={"rule": report.rule, "measured": report.measured, "by": by},
    )


def auto_rollback(
    bluegreen: BlueGreen, state: ServiceState, report: WatchReport, by: str
) -> OperationResult:
    """Roll back exactly as an operator would: one CAS UpdateAlias, verify, test stage, audit."""
    change = auto_rollback_change(state, report, by)
    return bluegreen.execute(change, change.confirmation_text)
