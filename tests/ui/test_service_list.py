"""The services list at scale: rows in view first, the rest after the frame, filter text once."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from bgtui.core.models import AliasState, ServiceRef, ServiceState
from bgtui.ui.widgets.services import (
    FIRST_ROWS,
    MAX_ROWS,
    MORE_ROW,
    SearchableRows,
    ServiceList,
    all_rows,
)


def state(function: str, live_version: str = "1", name: str = "") -> ServiceState:
    blue = AliasState("blue", "1", "r1")
    green = AliasState("green", "2", "r2")
    live = AliasState("live", live_version, "r3")
    ref = ServiceRef(function=function, region="eu-west-1", name=name)
    return ServiceState(ref=ref, blue=blue, green=green, live=live)


def states(count: int) -> list[ServiceState]:
    return [state(f"svc-{index:04d}") for index in range(count)]


class ListHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ServiceList(id="services")


def row_keys(services: ServiceList) -> list[str]:
    table = services.table
    return [
        str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)
    ]


def test_the_filter_matches_names_and_functions_case_blind() -> None:
    rows = SearchableRows(
        all_rows([state("ledger-fn", name="Books"), state("orders-fn", name="Ledger view")], {}, [])
    )
    assert [r.function for r in rows.matching(" LEDGER ")] == ["ledger-fn", "orders-fn"]
    assert [r.function for r in rows.matching("books")] == ["ledger-fn"]
    assert rows.matching("absent") == []


async def test_a_long_list_shows_its_first_rows_at_once_and_the_rest_after_the_frame() -> None:
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        services = app.query_one(ServiceList)
        services.show(states(300), {}, [], "")
        table = services.table
        # Synchronously: what fits on screen and more, not all 250.
        assert table.row_count == FIRST_ROWS
        assert services.listed[:FIRST_ROWS] == row_keys(services)
        assert len(services.listed) == MAX_ROWS
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == MAX_ROWS + 1
        assert row_keys(services)[:MAX_ROWS] == services.listed
        assert row_keys(services)[-1] == MORE_ROW
        assert table.get_row_at(MAX_ROWS)[1] == "… 50 more: type / to filter"


async def test_a_refresh_before_the_rest_is_added_shows_its_values() -> None:
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        services = app.query_one(ServiceList)
        before = states(120)
        services.show(before, {}, [], "")
        changed = [*before[:100], state("svc-0100", live_version="2"), *before[101:]]
        services.show(changed, {}, [], "")
        await pilot.pause()
        await pilot.pause()
        live = services.table.get_row("svc-0100")[2]
        assert isinstance(live, Text)
        assert live.plain.endswith("green v2")


async def test_a_new_filter_drops_the_rows_an_older_list_still_had_to_add() -> None:
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        services = app.query_one(ServiceList)
        services.show(states(300), {}, [], "")
        services.needle = "svc-02"
        await pilot.pause()
        await pilot.pause()
        assert row_keys(services) == [f"svc-{index:04d}" for index in range(200, 300)]


async def test_the_cursor_row_is_added_with_the_first_rows() -> None:
    app = ListHost()
    async with app.run_test(size=(80, 24)):
        services = app.query_one(ServiceList)
        services.show(states(300), {}, [], "svc-0200")
        assert services.table.row_count == 201 + FIRST_ROWS
        assert services.highlighted == "svc-0200"
