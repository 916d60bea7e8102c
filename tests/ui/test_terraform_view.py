"""The Terraform view: lines stream as printed, summary, workspaces, stop, confirmed apply."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import RichLog, Select

from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.core.errors import BadInput
from bgtui.core.plan import ApplyAccounts, PlanAccounts
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.terraform import TerraformScreen
from bgtui.ui.screens.typed_confirm import TypedConfirmScreen
from bgtui.ui.terraform_port import terraform_setup
from tests.ui.fake_backend import NOW, MetricsFakeAws, fake_backend, read_only
from tests.ui.fake_terraform import FakeTerraform
from tests.ui.helpers import fill, notifications, settle, shown


def terraform_app(backend: Backend, runner: FakeTerraform) -> BgtuiApp:
    return BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, terraform=lambda: runner)


def log_lines(screen: TerraformScreen) -> list[str]:
    return [strip.text.rstrip() for strip in screen.query_one("#tf-log", RichLog).lines]


async def until(pilot, condition, limit: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never held")


async def test_plan_lines_stream_before_the_summary(backend: Backend) -> None:
    hold = asyncio.Event()
    runner = FakeTerraform(hold=hold)
    app = terraform_app(backend, runner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, TerraformScreen)
        await until(pilot, lambda: any("Warning" in line for line in log_lines(screen)))
        assert screen.running == "plan" and screen.summary is None
        lines = log_lines(screen)
        assert lines[1].startswith("module.service.aws_lambda_function.this")
        assert lines[2] == "", "a blank line terraform printed stays a line"
        assert lines[4] == "! Warning: Argument is deprecated"
        hold.set()
        await settle(pilot)
        assert screen.summary is not None
        assert "Plan: 0 to add, 1 to change, 0 to destroy." in shown(
            screen.query_one("#tf-summary")
        )
        assert screen.query_one("#tf-workspace", Select).value == "default"


async def test_escape_stops_a_running_plan(backend: Backend) -> None:
    runner = FakeTerraform(hold=asyncio.Event())
    app = terraform_app(backend, runner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        screen = app.screen
        await until(pilot, lambda: len(log_lines(screen)) >= 4)
        await pilot.press("escape")
        await settle(pilot)
        assert runner.stopped
        assert app.screen is screen, "the first escape stops terraform, it does not leave"
        assert "terraform plan cancelled" in shown(screen.query_one("#tf-summary"))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.dashboard


async def test_apply_needs_the_workspace_typed(backend: Backend) -> None:
    runner = FakeTerraform()
    app = terraform_app(backend, runner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TypedConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert runner.applied == []
        await pilot.press("a")
        await settle(pilot)
        await fill(pilot, "#typed", "default")
        await pilot.click("#confirm")
        await settle(pilot)
        assert runner.applied == [".bgtui.tfplan"]
        assert "Apply complete" in shown(app.screen.query_one("#tf-summary"))


async def test_picking_a_workspace_selects_it_and_plans_again(backend: Backend) -> None:
    runner = FakeTerraform()
    app = terraform_app(backend, runner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#tf-workspace", Select).value = "staging"
        await settle(pilot)
        assert runner.current == "staging"
        assert len(runner.plans) == 2
        assert "$ terraform workspace select staging" in log_lines(app.screen)  # type: ignore[arg-type]


async def test_read_only_refuses_apply(aws: MetricsFakeAws, tmp_path: Path) -> None:
    runner = FakeTerraform()
    app = terraform_app(fake_backend(aws, tmp_path, policy=read_only()), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TerraformScreen)
        assert any(n.startswith("Read-only: apply refused") for n in notifications(app))
        assert runner.applied == []


def test_demo_plans_its_own_root_against_the_emulator_and_never_a_source_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "run" / "terraform" / "examples" / "emulator"
    settings = Settings(endpoint_url="http://127.0.0.1:5123", terraform_dir=str(root))
    setup = terraform_setup(settings, demo=True)
    assert setup.directory == root
    assert setup.settings is settings, "the runner is built from the demo's own settings"
    configured = terraform_setup(Settings(terraform_dir="/srv/tf"), demo=False)
    assert configured.directory == Path("/srv/tf")
    # A checkout's example in the working directory is not the demo's: nothing is planned there.
    (tmp_path / "terraform" / "examples" / "emulator").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert (
        terraform_setup(Settings(endpoint_url="http://127.0.0.1:5123"), demo=True).directory is None
    )


async def test_the_apply_confirmation_shows_both_accounts(backend: Backend) -> None:
    runner = FakeTerraform()
    app = terraform_app(backend, runner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TypedConfirmScreen)
        scope = shown(app.screen.query_one("#scope"))
        assert "plan ran against account 123456789012 (from data.aws_caller_identity)" in scope
        assert "bgtui acts as account 123456789012 (arn:aws:iam::123456789012:user/oncall)" in scope


async def test_an_apply_to_another_account_is_refused(backend: Backend) -> None:
    runner = FakeTerraform(account="210987654321")
    app = terraform_app(backend, runner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen, "no confirmation opens for another account"
        refusal = next(n for n in notifications(app) if n.startswith("Apply refused"))
        assert "account 210987654321" in refusal and "acts as account 123456789012" in refusal
        assert "✖ the plan ran against account 210987654321" in "\n".join(log_lines(screen))
        assert runner.applied == []
        assert screen.running == "", "the view is free again after the refusal"


async def test_a_plan_that_names_no_account_is_not_applied(backend: Backend) -> None:
    runner = FakeTerraform(account="")
    app = terraform_app(backend, runner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, TypedConfirmScreen)
        assert any("does not say which AWS account" in n for n in notifications(app))
        assert runner.applied == []


async def test_the_apply_worker_itself_refuses_another_account(backend: Backend) -> None:
    runner = FakeTerraform()
    app = terraform_app(backend, runner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        caller = backend.operations.actor()
        elsewhere = ApplyAccounts(
            PlanAccounts(("210987654321",), "data.aws_caller_identity"), caller
        )
        screen = app.screen
        assert isinstance(screen, TerraformScreen)
        screen.terraform_apply(elsewhere)
        await settle(pilot)
        assert runner.applied == []
        assert "terraform apply failed" in shown(app.screen.query_one("#tf-summary"))


async def test_a_failed_run_of_the_view_is_toasted_by_the_app(backend: Backend) -> None:
    """The view's own worker fails (no runner can be built): the operator gets the titled
    one-line error the app gives every failed worker, besides the view's status line."""

    def no_runner() -> FakeTerraform:
        raise BadInput("no Terraform directory: set [terraform] dir in the configuration")

    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, terraform=no_runner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, TerraformScreen)
        assert "terraform plan failed" in shown(app.screen.query_one("#tf-summary"))
        assert "Bad input: no Terraform directory: set [terraform] dir in the configuration" in (
            notifications(app)
        )
