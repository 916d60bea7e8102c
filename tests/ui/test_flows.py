"""The console driven by keys: promote with typed confirmation, cancel, rollback, conflict."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Button

from bgtui.core.change import Action
from bgtui.core.models import Colour
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.conflict import ConflictScreen
from bgtui.ui.screens.smoke import SmokeScreen
from bgtui.ui.widgets.health_panel import HealthPanel
from bgtui.ui.widgets.summary import ServiceSummary
from tests.fakes import new_revision
from tests.ui.fake_backend import MetricsFakeAws
from tests.ui.helpers import (
    fill,
    notifications,
    outcomes,
    region_text,
    select_service,
    settle,
    shown,
    table_rows,
    type_into,
)


def summary_text(app: BgtuiApp) -> str:
    return shown(app.dashboard.query_one(ServiceSummary))


def audit_actions(app: BgtuiApp) -> list[tuple[str, str, str | None]]:
    return [(r.action, r.phase, r.outcome) for r in app.backend.audit.records()]


async def smoke_idle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SmokeScreen)
    await pilot.press("escape")
    await settle(pilot)


async def test_the_smoke_screen_shows_a_check_that_could_not_run(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    # The fake stage has no invoke URL: the HTTP check cannot run, and says so.
    aws.functions["payments-api"].tags["bluegreen:smoke-path"] = "/health"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await pilot.press("t")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SmokeScreen) and not screen.report.passed
        shown_rows = region_text(pilot.app, screen.query_one("#results"))
        rows = table_rows(shown_rows, ["result", "kind", "check", "answered", "ms"])
        assert [row[:4] for row in rows] == [
            ["pass", "invoke", "invoke:default", "v3"],
            ["NOT RUN", "http", "http:default", "-"],
        ]
        assert "not run: http:default" in shown(screen.query_one("#scope"))


async def open_change(pilot, key: str) -> ChangeScreen:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChangeScreen), f"expected the confirmation, got {screen}"
    return screen


async def confirm(pilot, screen: ChangeScreen, reason: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    await fill(pilot, "#reason", reason)
    await fill(pilot, "#typed", typed)
    await pilot.click("#confirm")
    await settle(pilot)


async def test_dashboard_lists_services_with_live_colour_in_words(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.dashboard.query_one("#service-table")
        assert table.row_count == 2  # type: ignore[attr-defined]
        assert app.model.selected == "ledger-writer"
        text = summary_text(app)
        assert "prod stage → alias live = LIVE ◆ blue v2" in text
        assert "test stage → alias green = idle ● green v3" in text
        green = shown(app.dashboard.query_one("#green", HealthPanel)).splitlines()
        assert green[0].startswith("idle ● green v3")
        assert "errors ALARM" in next(row for row in green if row.startswith("test via green"))


async def test_promote_with_typed_confirmation_flips_live(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await smoke_idle(pilot)
        screen = await open_change(pilot, "p")
        assert app.focused is not None and app.focused.id == "reason"
        await type_into(pilot, "#reason", "CHG-1 release 2.3")
        assert screen.query_one("#confirm", Button).disabled, "enabled before typing the name"
        await type_into(pilot, "#typed", "payments-ap")
        assert screen.query_one("#confirm", Button).disabled
        await pilot.press("i")
        assert not screen.query_one("#confirm", Button).disabled
        await pilot.click("#confirm")
        await settle(pilot)
        assert aws.functions["payments-api"].aliases["live"].version == "3"
        assert app.model.state().live_colour is Colour.GREEN  # type: ignore[union-attr]
        assert "LIVE ● green v3" in summary_text(app)
        assert "rollback → ◆ blue v2" in summary_text(app)
        assert any("live is now green v3" in n for n in outcomes(app))
        assert ("promote", "outcome", "ok") in audit_actions(app)


async def test_escape_cancels_and_changes_nothing(app: BgtuiApp, aws: MetricsFakeAws) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await smoke_idle(pilot)
        await open_change(pilot, "p")
        await fill(pilot, "#reason", "CHG-1")
        await fill(pilot, "#typed", "payments-api")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ChangeScreen)
        assert "lambda:UpdateAlias" not in aws.calls
        assert aws.functions["payments-api"].aliases["live"].version == "2"
        assert all(phase != "intent" for _, phase, _ in audit_actions(app))
        assert "LIVE ◆ blue v2" in summary_text(app)


async def test_enter_never_confirms_from_a_field(app: BgtuiApp, aws: MetricsFakeAws) -> None:
    """Enter moves from field to field and, once the name is typed, to the button; only a
    press of that button promotes."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await smoke_idle(pilot)
        await open_change(pilot, "p")
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "typed"
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChangeScreen)
        assert app.focused.id == "typed", "Enter with nothing typed stays put"
        await pilot.press("shift+tab", *"CHG-5", "enter")
        assert app.focused is not None and app.focused.id == "typed"
        await pilot.press(*"payments-api", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChangeScreen), "Enter in the name field carried it out"
        assert app.focused is not None and app.focused.id == "confirm"
        assert "lambda:UpdateAlias" not in aws.calls
        await pilot.press("enter")
        await settle(pilot)
        assert aws.functions["payments-api"].aliases["live"].version == "3"


async def test_rollback_returns_live_to_the_previous_colour(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    ops = app.backend.operations
    ref = ops.catalog.find("payments-api")
    ops.run_smoke(ref)
    change = ops.prepare_promote(ref, reason="CHG-1")
    ops.execute(change, "payments-api")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        assert "LIVE ● green v3" in summary_text(app)
        screen = await open_change(pilot, "r")
        assert screen.prepared.action is Action.ROLLBACK
        await confirm(pilot, screen, "CHG-2 errors up", "payments-api")
        assert aws.functions["payments-api"].aliases["live"].version == "2"
        assert "LIVE ◆ blue v2" in summary_text(app)
        assert ("rollback", "outcome", "ok") in audit_actions(app)


async def test_a_change_underneath_shows_the_conflict_explanation(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await smoke_idle(pilot)
        screen = await open_change(pilot, "p")
        live = aws.functions["payments-api"].aliases["live"]
        aws.functions["payments-api"].aliases["live"] = replace(live, revision_id=new_revision())
        await confirm(pilot, screen, "CHG-1", "payments-api")
        assert isinstance(app.screen, ConflictScreen)
        explanation = shown(app.screen.query_one("#explanation"))
        assert "Nothing was changed by this console" in explanation
        assert "What to do" in explanation
        assert aws.functions["payments-api"].aliases["live"].version == "2"
        assert ("promote", "outcome", "conflict") in audit_actions(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.dashboard


async def test_gate_failure_can_be_overridden_with_a_reason(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        await smoke_idle(pilot)  # ledger-writer v3 is broken: the smoke run fails
        screen = await open_change(pilot, "p")
        await fill(pilot, "#reason", "CHG-9 hotfix")
        await fill(pilot, "#typed", "ledger-writer")
        assert screen.query_one("#confirm", Button).disabled
        await pilot.click("#override-smoke-passed")
        await pilot.click("#override-idle-alarms")
        assert screen.query_one("#confirm", Button).disabled, "an override needs a reason"
        await fill(pilot, "#override-reason", "tested by hand")
        assert not screen.query_one("#confirm", Button).disabled
        await pilot.click("#confirm")
        await settle(pilot)
        assert aws.functions["ledger-writer"].aliases["live"].version == "3"
        intent = [r for r in app.backend.audit.records() if r.phase == "intent"][-1]
        verdicts = {g.name: g.verdict for g in intent.gates}
        assert verdicts["smoke-passed"] == "overridden"
        assert verdicts["idle-alarms"] == "overridden"


async def test_blocked_change_names_the_failing_gates(app: BgtuiApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        screen = await open_change(pilot, "p")
        why = shown(screen.query_one("#why-disabled"))
        assert "smoke-passed" in why and "reason" in why


async def test_an_endpoint_lost_mid_change_is_a_titled_notification(
    app: BgtuiApp, aws: MetricsFakeAws
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        await smoke_idle(pilot)
        screen = await open_change(pilot, "p")
        aws.unreachable_on = {"lambda:UpdateAlias", "lambda:GetAlias"}
        await confirm(pilot, screen, "CHG-1", "payments-api")
        assert app.screen is app.dashboard
        failures = [n for n in notifications(app) if n.startswith("Failed: outcome unknown")]
        assert failures, notifications(app)
        assert ("promote", "outcome", "unknown") in audit_actions(app)
        assert app.dashboard.busy == ""
