"""The selected service's published versions and which alias holds each."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable

from bgtui.core.models import Colour, ServiceState, VersionInfo

COLUMNS = (("ver", "version"), ("held by", "held"), ("date", "date"), ("sha", "sha"))


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
        info.version,
        held_by(state, info.version),
        info.last_modified[:16].replace("T", " "),
        info.code_sha256[:10],
        info.description[:40],
    )


class VersionsTable(DataTable[str]):
    """Loaded lazily, for the selected service only."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, key in COLUMNS:
            self.add_column(label, key=key)
        self.add_column("description", key="description")

    shown: tuple[tuple[str, ...], ...] = ()

    def show(self, versions: Sequence[VersionInfo], state: ServiceState | None) -> None:
        self._fill(tuple(version_row(info, state) for info in versions))

    def show_loading(self, function: str) -> None:
        self._fill((("…", "", "", "", f"reading versions of {function}"),))

    def _fill(self, rows: tuple[tuple[str, ...], ...]) -> None:
        # Unchanged rows are not rebuilt: the cursor stays where the operator left it.
        if rows == self.shown:
            return
        self.shown = rows
        self.clear()
        for row in rows:
            self.add_row(*row, key=row[0])
