"""Requesting and approving a promote: each a compare-and-swap on the idle colour's alias."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bgtui.core.approval import ApprovalRequest, pending_request, principal_of, request_problem
from bgtui.core.audit_record import Target
from bgtui.core.catalog import Catalog
from bgtui.core.change import Action, Outcome
from bgtui.core.errors import Conflict, Refused
from bgtui.core.models import AliasState, ServiceRef, ServiceState
from bgtui.core.planning import code_sha256
from bgtui.core.policy import Policy
from bgtui.core.ports import FunctionsPort
from bgtui.core.recording import Recorder


class Approvals:
    """Writes approval requests and approvals, each recorded in the audit trail."""

    def __init__(
        self,
        catalog: Catalog,
        functions: FunctionsPort,
        recorder: Recorder,
        policy: Policy,
        clock: Callable[[], datetime],
    ) -> None:
        self.catalog = catalog
        self.functions = functions
        self.recorder = recorder
        self.policy = policy
        self.clock = clock

    def principal(self) -> str:
        """The principal acting now (an assumed role's sessions are one principal)."""
        return principal_of(self.recorder.actor().arn)

    def current(self, ref: ServiceRef) -> tuple[ServiceState, ApprovalRequest | None, str]:
        """The state, the idle colour's request, and why it cannot stand ('' when it can)."""
        state = self.catalog.read(ref)
        request = pending_request(state)
        idle = state.idle_alias
        sha = code_sha256(self.functions, ref.function, idle.version) if idle else ""
        return state, request, request_problem(state, request, sha, self.clock())

    def request(self, ref: ServiceRef, reason: str) -> ApprovalRequest:
        """A request for the idle version, unless one that still stands is there already."""
        state, existing, problem = self.current(ref)
        if existing is not None and not problem:
            return existing
        idle = self._writable(state, Action.REQUEST_APPROVAL, reason)
        now = self.clock()
        request = ApprovalRequest(
            version=idle.version,
            code_sha256=code_sha256(self.functions, ref.function, idle.version),
            requester=self.principal(),
            reason=reason.strip(),
            requested_at=now,
            expires_at=now + timedelta(minutes=self.policy.approval_minutes),
        )
        self._write(state, idle, request, Action.REQUEST_APPROVAL, reason)
        return request

    def approve(self, ref: ServiceRef, reason: str) -> ApprovalRequest:
        """Add the acting principal to the request; never the requester, never twice."""
        state, request, problem = self.current(ref)
        action = Action.APPROVE
        if request is None or problem:
            self._refuse(state, action, reason, f"nothing to approve: {problem}")
        assert request is not None
        me = self.principal()
        if me == request.requester:
            why = f"self-approval refused: {me} made the request; another principal must approve"
            self._refuse(state, action, reason, why)
        if me in request.approvers:
            self._refuse(state, action, reason, f"{me} has already approved this request")
        idle = self._writable(state, action, reason)
        approved = request.approved_by(me)
        self._write(state, idle, approved, action, reason)
        return approved

    def _writable(self, state: ServiceState, action: Action, reason: str) -> AliasState:
        if self.policy.read_only:
            self._refuse(state, action, reason, f"read-only mode: {action.value} refused")
        problem = self.policy.reason_problem(reason)
        if problem:
            self._refuse(state, action, reason, problem)
        idle = state.idle_alias
        if idle is None:
            self._refuse(state, action, reason, "no idle colour to promote")
        assert idle is not None
        return idle

    def _refuse(self, state: ServiceState, action: Action, reason: str, why: str) -> None:
        self.recorder.refusal(state, action, reason, (), why)
        raise Refused(f"{action.value} {state.ref.function}: {why}")

    def _write(
        self,
        state: ServiceState,
        idle: AliasState,
        request: ApprovalRequest,
        action: Action,
        reason: str,
    ) -> None:
        description = request.to_description()
        try:
            self.functions.update_alias(
                state.ref.function, idle.name, idle.version, idle.revision_id, description
            )
        except Conflict:
            why = f"alias {idle.name} changed while the {action.value} was written"
            self.recorder.conflict(state, action, reason, why)
            raise Conflict(f"{action.value} {state.ref.function}: {why}; re-read") from None
        self.recorder.record(
            state,
            action,
            "outcome",
            reason,
            outcome=Outcome.OK.value,
            target=Target(idle.name, idle.version),
            extra={"approval": _approval_doc(request)},
        )


def _approval_doc(request: ApprovalRequest) -> dict[str, object]:
    return {
        "version": request.version,
        "code_sha256": request.code_sha256,
        "requester": request.requester,
        "approvers": list(request.approvers),
        "requested_at": f"{request.requested_at:%Y-%m-%dT%H:%M:%SZ}",
        "expires_at": f"{request.expires_at:%Y-%m-%dT%H:%M:%SZ}",
    }
