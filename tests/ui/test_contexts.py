"""Which account, which environment: the header, the production banner, the confirmations, and
switching context in the console without a restart (read-only following the context)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from bgtui.app.backend import Backend
from bgtui.app.context_switch import ContextSwitcher
from bgtui.app.contexts import Context
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.change import ChangeScreen
from bgtui.ui.screens.contexts import ContextScreen
from bgtui.ui.widgets.bars import TopBar
from bgtui.ui.widgets.context_bar import ContextBar
from bgtui.ui.widgets.services import ServiceList
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend, read_only
from tests.ui.helpers import notifications, select_service, settle, shown

PROD = Context("prod", "acme-prod", ("eu-west-1",), True, "production")
STAGING = Context("staging", "acme-staging", ("eu-west-1",), False, "staging")


def backend_in(aws: MetricsFakeAws, home: Path, context: Context) -> Backend:
    policy = read_only() if context.read_only else None
    return fake_backend(
        aws,
        home,
        policy,
        context=context.name,
        environment=context.environment,
        profile=context.profile,
        contexts=(STAGING, PROD),
    )


def console(backend: Backend, switcher: ContextSwitcher | None = None) -> BgtuiApp:
    return BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, switcher=switcher)


def header(app: BgtuiApp) -> str:
    return shown(app.dashboard.query_one(ContextBar))


async def test_production_context_shows_the_banner_and_the_confirmation_repeats_it(
    tmp_path: Path,
) -> None:
    aws = demo_aws()
    aws.account_alias = lambda: "acme-prod"  # type: ignore[attr-defined]
    prod = Context("prod", "acme-prod", ("eu-west-1",), False, "production")
    app = console(backend_in(aws, tmp_path, prod))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        text = header(app)
        assert text.startswith(" ▲ PRODUCTION ▲ "), text
        for part in ("123456789012 (acme-prod)", "eu-west-1", "profile acme-prod", "context prod"):
            assert part in text
        # The demo service is tagged demo: the header says the two labels disagree.
        assert "env production (service says demo)" in text
        for key in ("p", "r"):
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ChangeScreen), f"{key} opened {screen}"
            where = shown(screen.query_one("#where", Static))
            assert where == (
                "▲ PRODUCTION ▲ payments-api · account 123456789012 (acme-prod) · "
                "environment production (service says demo) · region eu-west-1"
            )
            # The context's word counts: the demo-tagged service moves production traffic here.
            assert shown(screen.query_one("#scope", Static)).startswith("PRODUCTION · ")
            await pilot.press("escape")
            await settle(pilot)


async def test_a_staging_context_has_no_banner_and_names_its_environment(tmp_path: Path) -> None:
    app = console(backend_in(demo_aws(), tmp_path, STAGING))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        text = header(app)
        assert "PRODUCTION" not in text and "▲" not in text
        assert "acct 123456789012 · env staging (service says demo)" in text
        assert not app.dashboard.query_one(ContextBar).has_class("-production")


async def test_an_untagged_service_counts_as_production(tmp_path: Path) -> None:
    aws = demo_aws()
    del aws.functions["payments-api"].tags["bluegreen:environment"]
    app = console(fake_backend(aws, tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_service(pilot, "payments-api")
        assert "▲ PRODUCTION ▲" in header(app)
        assert "env production (untagged)" in header(app)
        await select_service(pilot, "ledger-writer")
        assert "PRODUCTION" not in header(app)


async def test_switching_context_rebuilds_reads_anew_and_applies_read_only(
    tmp_path: Path,
) -> None:
    staging_aws, prod_aws = MetricsFakeAws(), MetricsFakeAws()
    staging_aws.add_service("orders-staging")
    prod_aws.add_service("orders-prod")
    built: list[str] = []

    def build(name: str) -> Backend:
        built.append(name)
        assert name == "prod"
        return backend_in(prod_aws, tmp_path / "prod", PROD)

    app = console(
        backend_in(staging_aws, tmp_path / "staging", STAGING),
        ContextSwitcher((STAGING, PROD), build),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "orders-staging" in app.model.known and "READ-ONLY" not in shown(
            app.dashboard.query_one(TopBar)
        )
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ContextScreen)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 0  # the current context first
        await pilot.press("down", "enter")
        await settle(pilot)
        assert built == ["prod"] and app.screen is app.dashboard
        assert app.backend.settings.context == "prod"
        assert list(app.model.known) == ["orders-prod"]  # nothing of staging is left
        assert app.dashboard.query_one(ServiceList).highlighted == "orders-prod"
        assert "▲ PRODUCTION ▲" in header(app) and "context prod" in header(app)
        assert "READ-ONLY" in shown(app.dashboard.query_one(TopBar))
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert any(n.startswith("Read-only") for n in notifications(app))
        assert "lambda:UpdateAlias" not in prod_aws.calls


async def test_escape_keeps_the_context(tmp_path: Path) -> None:
    def build(name: str) -> Backend:
        raise AssertionError(f"nothing is built on escape, yet {name} was")

    backend = backend_in(demo_aws(), tmp_path, STAGING)
    app = console(backend, ContextSwitcher((STAGING, PROD), build))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.backend is backend and app.screen is app.dashboard


async def test_without_contexts_the_switch_key_says_why(tmp_path: Path) -> None:
    app = console(fake_backend(demo_aws(), tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert any(n.startswith("No contexts") for n in notifications(app))


async def test_a_new_context_that_cannot_be_read_shows_nothing_of_the_old_one(
    tmp_path: Path,
) -> None:
    """A failed first read keeps "the last good data": that must never be the old account's."""
    staging_aws, prod_aws = MetricsFakeAws(), MetricsFakeAws()
    staging_aws.add_service("orders-staging")
    prod_aws.unreachable_on.add("tag:GetResources")
    switcher = ContextSwitcher(
        (STAGING, PROD), lambda name: backend_in(prod_aws, tmp_path / "prod", PROD)
    )
    app = console(backend_in(staging_aws, tmp_path / "staging", STAGING), switcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_service(pilot, "orders-staging")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.backend.settings.context == "prod"
        assert not app.model.known and app.model.selected == ""
        assert app.dashboard.query_one(ServiceList).highlighted in ("", None)
        assert "STALE" in shown(app.dashboard.query_one(TopBar))


async def test_every_region_is_read_and_one_down_leaves_the_others_shown(tmp_path: Path) -> None:
    down = demo_aws()
    down.unreachable_on.add("tag:GetResources")
    backend = fake_backend(
        demo_aws(), tmp_path, context="prod", regions=("eu-west-1", "eu-central-1")
    )
    further = fake_backend(down, tmp_path, region="eu-central-1", context="prod")
    app = BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, regions=[further])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "region eu-west-1, eu-central-1 · context prod" in header(app)
        assert "not shown" not in header(app)
        assert set(app.model.known) == {"payments-api@eu-west-1", "ledger-writer@eu-west-1"}
        stale = shown(app.dashboard.query_one(TopBar))
        assert "services in eu-central-1" in stale and "unreachable" in stale.lower()
        down.unreachable_on.clear()
        app.refresh_now()
        await settle(pilot)
        assert "payments-api@eu-central-1" in app.dashboard.query_one(ServiceList).listed
        app.refresh_now()  # its rows, listed now, are on screen and not read yet
        await settle(pilot)
        assert "payments-api@eu-central-1" in app.model.known
        assert "services in" not in shown(app.dashboard.query_one(TopBar))


async def test_the_palette_entry_opens_the_same_switcher_as_x(tmp_path: Path) -> None:
    def build(name: str) -> Backend:
        raise AssertionError(f"nothing is built before a choice, yet {name} was")

    app = console(
        backend_in(demo_aws(), tmp_path, STAGING), ContextSwitcher((STAGING, PROD), build)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        commands["Switch context"]()
        await settle(pilot)
        assert isinstance(app.screen, ContextScreen)
        assert app.screen.current == "staging"
