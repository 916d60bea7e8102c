"""Operations whose outcome was unknown, settled later from the state read then."""

from __future__ import annotations

from bgtui.core.audit_record import AuditRecord
from bgtui.core.change import Action, Outcome
from bgtui.core.models import Colour, ServiceState
from bgtui.core.recording import Recorder


def took_effect(state: ServiceState, pending: AuditRecord) -> bool | None:
    """Whether an operation of unknown outcome shows in the state read now; None when the
    state cannot tell (a deploy from a zip or `$LATEST` names no version in advance)."""
    target = pending.target
    colour = target.colour if target else None
    version = target.version if target else None
    if pending.action in (Action.PROMOTE, Action.ROLLBACK, Action.AUTO_ROLLBACK):
        return (
            state.live is not None
            and state.live.version == version
            and state.live_colour is not None
            and state.live_colour.value == colour
        )
    if pending.action == Action.DEPLOY and version and colour in set(Colour):
        alias = state.colour_alias(Colour(colour))
        return alias is not None and alias.version == version
    return None


class Reconciler:
    """Records what became of each operation the trail holds as unknown for a service."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def reconcile(self, state: ServiceState) -> list[AuditRecord]:
        """Settle earlier operations whose outcome was unknown, from the state read now."""
        pending = self.recorder.audit.unresolved_unknowns(state.ref.function, state.ref.region)
        return [self._settle(state, record) for record in pending]

    def _settle(self, state: ServiceState, pending: AuditRecord) -> AuditRecord:
        applied = took_effect(state, pending)
        return self.recorder.record(
            state,
            Action.RECONCILE,
            "outcome",
            "",
            outcome=Outcome.OK.value,
            reconciles=pending.seq,
            applied=applied,
        )
