"""Two-person promote in the console: the pending request shown, `o` approves, refusals in one line.

The request lives in the idle alias's Description (Lambda caps it at 256 characters, botocore's
lambda service model: UpdateAliasRequest.Description), so the console reads it with the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input

from bgtui.app.backend import Backend
from bgtui.app.service import ReleaseService
from bgtui.core.approval import pending_request
from bgtui.core.models import Identity
from bgtui.core.policy import Policy
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.widgets.services import ServiceList
from bgtui.ui.widgets.summary import ServiceSummary
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend, read_only
from tests.ui.helpers import notifications, outcomes, select_service, settle, shown
from tests.ui.test_operator_keys import burst

FN = "payments-api"
ALICE = "arn:aws:iam::123456789012:user/alice"
BOB = "arn:aws:iam::123456789012:user/bob"


@dataclass
class Caller:
    """Who the fake account says is calling; a test switches people by changing `arn`."""

    arn: str = ALICE

    def whoami(self) -> Identity:
        return Identity("123456789012", self.arn, "someone@host")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    app: BgtuiApp
    backend: Backend
    aws: MetricsFakeAws
    caller: Caller
    clock: Clock

    @property
    def service(self) -> ReleaseService:
        return self.app.service

    def act_as(self, arn: str) -> None:
        self.caller.arn = arn
        self.backend.operations.forget_identity()


def world(tmp_path: Path, policy: Policy | None = None) -> World:
    aws = demo_aws()
    aws.add_service("orders-api")
    clock = Clock()
    backend = fake_backend(
        aws, tmp_path, policy=policy or Policy(approvals_required=1), clock=clock
    )
    caller = Caller()
    backend.operations.identity = caller
    app = BgtuiApp(backend, clock=clock, refresh_seconds=0)
    return World(app, backend, aws, caller, clock)


def requested(w: World) -> None:
    """Alice asks for the promote of payments-api's idle v3, as `bgtui promote` does."""
    w.service.request_approval(w.service.find(FN), "CHG-7 new fees")
    w.act_as(BOB)


def row_of(app: BgtuiApp, function: str) -> str:
    table = app.dashboard.query_one(ServiceList).table
    row = table.get_row(function)
    return " ".join(str(cell) for cell in row)


async def test_a_pending_request_shows_in_the_row_and_the_detail(tmp_path: Path) -> None:
    w = world(tmp_path)
    requested(w)
    async with w.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, FN)
        assert "approve?" in row_of(w.app, FN)
        assert "approve?" not in row_of(w.app, "orders-api")
        detail = shown(w.app.dashboard.query_one(ServiceSummary))
        request = pending_request(w.service.read(w.service.find(FN)))
        assert request is not None
        assert "PROMOTE REQUEST by 123456789012:user/alice: green v3" in detail
        assert f"(CodeSha256 {request.code_sha256}) to live" in detail  # the fake's is short
        assert "why: CHG-7 new fees · expires in 60 min (04:00Z)" in detail
        assert "approved by: nobody yet · o: approve" in detail


async def test_a_burst_down_down_o_approves_the_row_shown_in_a_dialog(tmp_path: Path) -> None:
    w = world(tmp_path)
    requested(w)
    async with w.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert w.app.model.selected == "ledger-writer"
        burst(pilot, "down", "down", "o")
        await settle(pilot)
        screen = w.app.screen
        assert isinstance(screen, ApproveScreen) and screen.function == FN
        body = shown(screen.query_one("#request"))
        assert "who:   123456789012:user/alice at 2026-11-28 03:00Z" in body
        assert "what:  green v3 (CodeSha256 " in body and "why:   CHG-7 new fees" in body
        assert "FAIL       approved: requested by 123456789012:user/alice" in body
        assert screen.query_one("#approve").disabled, "no approval without a reason"
        await pilot.press(*"CHG-7-read", "enter", "enter")
        await settle(pilot)
        assert w.app.screen is w.app.dashboard
        request = pending_request(w.service.read(w.service.find(FN)))
        assert request is not None and request.approvers == ("123456789012:user/bob",)
        approve = [r for r in w.backend.audit.records() if r.action == "approve"]
        assert [(r.function, r.outcome, r.reason) for r in approve] == [(FN, "ok", "CHG-7-read")]
        assert any("v3 approved by 123456789012:user/bob" in line for line in outcomes(w.app))
        assert "approved" in row_of(w.app, FN)


async def test_escape_approves_nothing(tmp_path: Path) -> None:
    w = world(tmp_path)
    requested(w)
    async with w.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, FN)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(w.app.screen, ApproveScreen)
        await pilot.press(*"ok", "escape")
        await settle(pilot)
        assert w.app.screen is w.app.dashboard
        assert not [r for r in w.backend.audit.records() if r.action == "approve"]
        assert any("approval cancelled; nothing was changed" in line for line in outcomes(w.app))


@pytest.mark.parametrize(
    ("twist", "line"),
    [
        ("self", "approve payments-api: self-approval refused: 123456789012:user/alice made"),
        ("expired", "approve payments-api: nothing to approve: the request by 123456789012:"),
        ("version", "approve payments-api: nothing to approve: the request was for v3; green"),
    ],
)
async def test_refusals_are_one_line_as_the_cli_says_them(
    tmp_path: Path, twist: str, line: str
) -> None:
    w = world(tmp_path)
    requested(w)
    if twist == "self":
        w.act_as(ALICE)
    elif twist == "expired":
        w.clock.now = NOW + timedelta(minutes=61)
    async with w.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, FN)
        if twist == "version":  # the dialog is open when another operator deploys
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(w.app.screen, ApproveScreen)
            green = w.aws.get_alias(FN, "green")
            w.aws.update_alias(FN, "green", "1", green.revision_id, green.description)
            w.app.screen.query_one("#reason", Input).value = "fine"
            await pilot.pause()
            await pilot.click("#approve")
        else:
            await pilot.press("o")
        await settle(pilot)
        assert w.app.screen is w.app.dashboard
        refusals = [n for n in notifications(w.app) if line in n]
        assert len(refusals) == 1 and "\n" not in refusals[0], notifications(w.app)
        records = [r for r in w.backend.audit.records() if r.action == "approve"]
        assert [r.outcome for r in records] == ["refused"]


async def test_read_only_refuses_the_approve_key(tmp_path: Path) -> None:
    w = world(tmp_path, read_only(Policy(approvals_required=1)))
    w.service.backend.operations.policy = Policy(approvals_required=1)
    requested(w)
    w.service.backend.operations.policy = read_only(Policy(approvals_required=1))
    async with w.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, FN)
        await pilot.press("o")
        await settle(pilot)
        assert w.app.screen is w.app.dashboard
        assert any(n.startswith("Read-only: approve refused") for n in notifications(w.app))
        assert not [r for r in w.backend.audit.records() if r.action == "approve"]


async def test_a_promote_that_needs_approval_makes_the_request_and_says_what_next(
    tmp_path: Path,
) -> None:
    w = world(tmp_path)
    async with w.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, FN)
        await pilot.press("p")
        await settle(pilot)
        screen = w.app.screen
        assert isinstance(screen, ApproveScreen) and not isinstance(screen, ChangeScreen)
        body = shown(screen.query_one("#request"))
        assert "Another principal presses o" in body and "FAIL       approved: no approval" in body
        await pilot.press(*"CHG-9", "enter", "enter")
        await settle(pilot)
        assert w.app.screen is w.app.dashboard
        said = [line for line in outcomes(w.app) if "Approval requested" in line]
        assert len(said) == 1
        assert "request by 123456789012:user/alice for v3, until 04:00Z" in said[0]
        assert "another principal presses o here (or runs bgtui approve payments-api)" in said[0]
        request = pending_request(w.service.read(w.service.find(FN)))
        assert request is not None and request.requester == "123456789012:user/alice"
        await settle(pilot)
        assert "approve?" in row_of(w.app, FN)
