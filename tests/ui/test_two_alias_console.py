"""The console shows a two-alias stack's roles by their real names, and a test stage that
serves production, at 80x24."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bgtui.core.models import AliasState, StageState
from bgtui.core.routing import ApiIntegration
from bgtui.ui.app import BgtuiApp
from bgtui.ui.labels import roles_label, stage_text
from bgtui.ui.widgets.services import LIVE_WIDTH
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.helpers import screen_lines, select_service, settle

FUNCTION = "payments-api"
PINNED = (
    "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
    f"arn:aws:lambda:eu-west-1:123456789012:function:{FUNCTION}:prod/invocations"
)


class PinnedIntegrations:
    """An API whose only method invokes the prod alias whatever the stage variable says."""

    def lambda_integrations(self, api_id: str) -> tuple[ApiIntegration, ...]:
        return (ApiIntegration("ANY /", PINNED),)


def two_alias_aws() -> MetricsFakeAws:
    aws = demo_aws()
    fn = aws.functions[FUNCTION]
    fn.tags |= {
        "bluegreen:live-alias": "prod",
        "bluegreen:candidate-alias": "test",
        "bluegreen:stage-variable": "alias",
    }
    fn.aliases = {
        "prod": AliasState("prod", "7", "r1", "deployed by hand"),
        "test": AliasState("test", "8", "r2"),
    }
    aws.stages["api0"] = {
        name: StageState(name, None, variables={"alias": name}) for name in ("prod", "test")
    }
    return aws


def test_roles_read_by_their_real_names(tmp_path: Path) -> None:
    backend = fake_backend(two_alias_aws(), tmp_path)
    state = backend.catalog.read(backend.catalog.find(FUNCTION))
    assert roles_label(state) == "LIVE prod v7 · candidate test v8"
    # The list's column names both: production first, then the candidate.
    assert roles_label(state, LIVE_WIDTH) == "prod v7 · test v8"
    longer = replace(state.ref, live_alias="production", candidate_alias="candidate")
    assert roles_label(replace(state, ref=longer), LIVE_WIDTH) == "v7 · candidate v8"
    assert roles_label(replace(state, ref=longer), 9) == "v7 · v8"
    assert stage_text(state, "prod") == "prod stage → alias prod = LIVE prod v7"
    assert stage_text(state, "test") == "test stage → alias test = candidate test v8"
    blue_green = backend.catalog.read(backend.catalog.find("ledger-writer"))
    assert roles_label(blue_green) == "LIVE ◆ blue v2"


async def test_the_console_names_roles_and_a_test_stage_serving_production(
    tmp_path: Path,
) -> None:
    backend = fake_backend(two_alias_aws(), tmp_path)
    backend.catalog.integrations = PinnedIntegrations()
    app = BgtuiApp(backend, demo=True, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "LIVE ◆ blue v2" in "\n".join(screen_lines(app)), "blue/green keeps its look"
        await select_service(pilot, FUNCTION)
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
        assert "LIVE prod v7" in screen
        assert "candidate test v8" in screen
        assert "prod v7 · test v8" in screen, "the list names production and the candidate"
        assert "⚠ ROUTING: test stage does not route by stageVariables.alias:" in screen
        assert "it serves prod's alias — tests on it test production" in screen
        assert "prod via prod" in screen and "test via test" in screen
        assert "Unexpected error" not in screen


async def test_the_promote_confirmation_names_what_moves_and_that_no_watch_can_be_recorded(
    tmp_path: Path,
) -> None:
    """The rows name the aliases that move by their own names (only prod moves). With the
    owners' description kept on prod, the watch the console would open has nowhere to be
    recorded: the confirmation says it is not possible, instead of promising one."""
    backend = fake_backend(two_alias_aws(), tmp_path)
    app = BgtuiApp(backend, demo=True, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_service(pilot, FUNCTION)
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
        assert "not possible" in screen, screen
        assert "10 min" not in screen
        rows = [" ".join(line.strip("█ ▁").split()) for line in screen_lines(app)]
        assert "alias prod (production) v7 → v8" in rows, rows
        assert "alias test (candidate) v8 → unchanged" in rows, rows
        assert not [r for r in rows if r.startswith(("live colour", "stage test"))], (
            "a two-alias promote moves no colour and no stage"
        )
