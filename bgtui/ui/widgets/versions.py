"""The selected service's published versions, which alias holds each, and their descriptions."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from bgtui.core.models import Colour, ServiceState, VersionInfo
from bgtui.core.plain_text import printable

SHOWN_VERSIONS = 20
"""The newest ones; older versions are counted, not listed (a function may have thousands)."""


def held_by(state: ServiceState | None, version: str) -> str:
    """`◆ blue LIVE` / `● green`: the colour aliases running this version."""
    if state is None:
        return ""
    holders = []
    for colour in Colour:
        alias = state.colour_alias(colour)
        if alias and alias.version == version:
            live = " LIVE" if state.live_colour is colour else ""
            holders.append(f"{colour.symbol} {colour.value}{live}")
    return ", ".join(holders)


def version_row(info: VersionInfo, state: ServiceState | None) -> tuple[str, ...]:
    return (
        printable(info.version),
        held_by(state, info.version),
        printable(info.last_modified[:16].replace("T", " ")),
        printable(info.code_sha256[:10]),
        # Whole, wrapped in its column: a description is never cut.
        printable(info.description),
    )


def versions_table(rows: Sequence[tuple[str, ...]], hidden: int) -> Table:
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=True, header_style="bold")
    table.add_column("ver", no_wrap=True)
    table.add_column("held by", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("sha", no_wrap=True)
    table.add_column("description", ratio=1, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    if hidden:
        table.add_row("", "", "", "", Text(f"… {hidden} older versions", style="dim"))
    return table


class VersionsTable(Static):
    """Loaded lazily, for the selected service only; text from the versions is shown literally."""

    shown: tuple[tuple[str, ...], ...] = ()

    def show(self, versions: Sequence[VersionInfo], state: ServiceState | None) -> None:
        rows = tuple(version_row(info, state) for info in versions[:SHOWN_VERSIONS])
        self._fill(rows, max(len(versions) - SHOWN_VERSIONS, 0))

    def show_loading(self, function: str) -> None:
        self._fill((("…", "", "", "", f"reading versions of {printable(function)}"),), 0)

    def _fill(self, rows: tuple[tuple[str, ...], ...], hidden: int) -> None:
        shown = (*rows, (str(hidden),))
        if shown == self.shown:
            return
        self.shown = shown
        self.update(versions_table(rows, hidden))
