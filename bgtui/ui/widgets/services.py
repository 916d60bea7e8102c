"""The services list: one row per service (health, name, live colour), with a `/` filter."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input
from textual.widgets.data_table import RowKey

from bgtui.app.regional import split_key
from bgtui.core.errors import BgtuiError
from bgtui.core.models import ServiceRef, ServiceState
from bgtui.core.plain_text import printable
from bgtui.ui.approval_view import row_word
from bgtui.ui.labels import health, health_glyph, roles_label
from bgtui.ui.widgets.steady_input import SteadyInput
from bgtui.ui.widgets.watch_panel import row_countdown


@dataclass(frozen=True)
class ServiceRow:
    """One line of the list: everything on it is about this one service."""

    function: str
    glyph: str
    name: str
    live: str
    environment: str = ""

    def cells(self) -> tuple[Text, ...]:
        # Names and environments come from tags: shown literally, never as markup.
        return (
            Text(self.glyph),
            Text(printable(self.name)),
            Text(self.live),
            Text(printable(self.environment)),
        )


def live_cell(state: ServiceState) -> str:
    return roles_label(state, LIVE_WIDTH)


def service_rows(
    states: Sequence[ServiceState],
    unreadable: Mapping[str, BgtuiError],
    pending: Sequence[ServiceRef],
    needle: str,
) -> list[ServiceRow]:
    return SearchableRows(all_rows(states, unreadable, pending)).matching(needle)


def all_rows(
    states: Sequence[ServiceState],
    unreadable: Mapping[str, BgtuiError],
    pending: Sequence[ServiceRef],
    key: Callable[[ServiceRef], str] | None = None,
) -> list[ServiceRow]:
    """Every service's row, in the order listed; keyed by `key` (the function name when None),
    whose rows of several regions start the last column with their region."""
    key_of = key or (lambda ref: ref.function)

    def region(row_key: str) -> str:
        return split_key(row_key)[1]

    rows = [
        ServiceRow(
            key_of(s.ref),
            health_glyph(health(s)),
            s.ref.display_name,
            live_cell(s),
            " ".join(
                filter(
                    None,
                    (region(key_of(s.ref)), row_countdown(s), row_word(s), s.ref.environment),
                )
            ),
        )
        for s in states
    ]
    rows += [
        ServiceRow(k, health_glyph("unreadable"), split_key(k)[0], "unread", region(k))
        for k in unreadable
    ]
    rows += [ServiceRow(key_of(r), " ", r.display_name, "…", region(key_of(r))) for r in pending]
    rows.sort(key=lambda r: (r.name, r.function))
    return rows


class SearchableRows:
    """Rows with their search text lower-cased once, so each key of the filter only compares."""

    def __init__(self, rows: Sequence[ServiceRow] = ()) -> None:
        self._rows = [(r.name.lower(), r.function.lower(), r) for r in rows]

    def matching(self, needle: str) -> list[ServiceRow]:
        wanted = needle.strip().lower()
        return [row for name, function, row in self._rows if wanted in name or wanted in function]


GLYPH_WIDTH = 1
NAME_WIDTH = 32
LIVE_WIDTH = 17
ENV_WIDTH = 12
MAX_ROWS = 250
"""More rows than this are left out (and counted): filtering finds them, fast."""
MORE_ROW = "__more__"
FIRST_ROWS = 40
"""Rows added at once below the cursor's: more than the list shows (at most 12 lines high)."""
COLUMN_KEYS = ("health", "name", "live", "environment")


class ServiceTable(DataTable[Text | str]):
    """The list's table: its columns have fixed widths, so new rows are never measured."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures every cell of every new row to size auto-width columns; with
        # widths fixed and rows one line high that only costs time (50 ms for 250 rows).
        fixed = self.columns and not any(c.auto_width for c in self.columns.values())
        super()._update_dimensions(() if fixed else new_rows)


class ServiceList(Vertical):
    """Posts `ServiceList.Selected` when the highlighted service changes."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]

    @dataclass
    class Selected(Message):
        """The operator moved to another service."""

        function: str

    needle: reactive[str] = reactive("", init=False)
    """The filter text; services whose name contains it are listed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows = SearchableRows()
        self._selected = ""
        self._name_width = 0
        self._shown: dict[str, ServiceRow] = {}
        """The rows listed, in order: the first `_added` of them are in the table already."""
        self._added = 0
        self._hidden = 0
        self._generation = 0
        """Counts rebuilds: rows still to be added for an older list are not added."""

    def compose(self) -> ComposeResult:
        yield SteadyInput(placeholder="filter services", id="service-filter", compact=True)
        yield ServiceTable(cursor_type="row", id="service-table")

    def on_resize(self) -> None:
        # Fixed widths (DataTable measures auto widths only when idle, too late for a frame).
        fixed = GLYPH_WIDTH + LIVE_WIDTH + 2 * 4 + 1
        room = max(self.size.width - fixed, 8 + ENV_WIDTH)
        name_width = min(room - ENV_WIDTH, NAME_WIDTH)
        if name_width == self._name_width:
            return
        self._name_width = name_width
        table = self.table
        table.clear(columns=True)
        self._shown, self._added, self._hidden = {}, 0, 0
        self._generation += 1
        table.add_column("", key="health", width=GLYPH_WIDTH)
        table.add_column("service", key="name", width=name_width)
        table.add_column("live", key="live", width=LIVE_WIDTH)
        table.add_column("environment", key="environment", width=room - name_width)
        self._fill()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#service-table", DataTable)

    @property
    def listed(self) -> list[str]:
        return list(self._shown)

    @property
    def highlighted(self) -> str:
        """The service under the cursor now: what the operator sees selected.

        Read from the cursor itself, which moves as each key is handled; the `Selected`
        message that follows it can still be queued behind the next key of a burst.
        """
        table = self.table
        listed = self.listed
        row = table.cursor_row
        return listed[row] if table.row_count and 0 <= row < len(listed) else ""

    @property
    def on_screen(self) -> list[str]:
        """The services whose rows are visible now (the table's viewport)."""
        table = self.table
        first = int(table.scroll_y)
        return self.listed[first : first + max(table.size.height - 1, 0)]

    def show(
        self,
        states: Sequence[ServiceState],
        unreadable: Mapping[str, BgtuiError],
        pending: Sequence[ServiceRef],
        selected: str,
        key: Callable[[ServiceRef], str] | None = None,
    ) -> None:
        self._rows = SearchableRows(all_rows(states, unreadable, pending, key))
        self._selected = selected
        self._fill()

    def open_filter(self) -> None:
        filter_input = self.query_one("#service-filter", Input)
        filter_input.add_class("-open")
        filter_input.focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#service-filter", Input)
        filter_input.value = ""
        filter_input.remove_class("-open")
        self.table.focus()

    @on(Input.Changed, "#service-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value

    @on(Input.Submitted, "#service-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def watch_needle(self) -> None:
        self._fill()

    def _fill(self) -> None:
        table = self.table
        if not table.columns:
            return
        matching = self._rows.matching(self.needle)
        rows = matching[:MAX_ROWS]
        if [r.function for r in rows] == list(self._shown):
            self._update(rows)
        else:
            self._rebuild(rows, len(matching) - len(rows))
        if rows and self._selected not in self._shown:
            self.post_message(self.Selected(rows[0].function))

    def _update(self, rows: list[ServiceRow]) -> None:
        """Only the cells that changed: a refresh of a thousand services touches a few."""
        for index, row in enumerate(rows):
            if self._shown[row.function] != row:
                # Rows still to be added are added as they are now.
                if index < self._added:
                    for key, cell in zip(COLUMN_KEYS, row.cells(), strict=True):
                        self.table.update_cell(row.function, key, cell)
                self._shown[row.function] = row

    def _rebuild(self, rows: list[ServiceRow], hidden: int) -> None:
        table = self.table
        # The row under the cursor stays under it, even when its Selected message is queued.
        keep = self.highlighted or self._selected
        self._shown = {r.function: r for r in rows}
        self._hidden, self._added = hidden, 0
        self._generation += 1
        index = list(self._shown).index(keep) if keep in self._shown else -1
        with self.app.batch_update():
            table.clear()
            self._add_rows(index + 1 + FIRST_ROWS)
            if index >= 0:
                table.move_cursor(row=index, animate=False)
        self._add_the_rest(self._generation)

    def _add_rows(self, count: int) -> None:
        """The next `count` rows of the list, and the count of the hidden ones after the last."""
        rows = list(self._shown.values())[self._added : self._added + count]
        for row in rows:
            self.table.add_row(*row.cells(), key=row.function)
        self._added += len(rows)
        if self._added == len(self._shown) and self._hidden:
            more = f"… {self._hidden} more: type / to filter"
            self.table.add_row("", more, "", "", key=MORE_ROW)
            self._hidden = 0

    def _add_the_rest(self, generation: int) -> None:
        """The rows below the first screenful, after the frame that shows it: a key of the
        filter is answered with the rows in view, not after all 250 were added."""
        if self._added < len(self._shown) or self._hidden:
            self.call_after_refresh(self._add_rest, generation)

    def _add_rest(self, generation: int) -> None:
        if generation == self._generation:
            with self.app.batch_update():
                self._add_rows(len(self._shown))

    @on(DataTable.RowHighlighted, "#service-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Where the cursor is now, not where this (possibly queued) event says it was.
        function = self.highlighted
        if function in self._shown and function != self._selected:
            self._selected = function
            self.post_message(self.Selected(function))

    def selected_now(self, function: str) -> None:
        """The app acted on `function` before its Selected message arrived: note it."""
        self._selected = function
