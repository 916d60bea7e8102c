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


class VersionsTable(DataTable[str]):
    """Loaded lazily, for the selected service only."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, key in COLUMNS:
            self.add_column(label, key=key)
        self.add_column("description", key="description")

    def show(self, versions: Sequence[VersionInfo], state: ServiceState | None) -> None:
        self.clear()
        for info in versions:
            self.add_row(
                info.version,
                held_by(state, info.version),
                info.last_modified[:16].replace("T", " "),
                info.code_sha256[:10],
                info.description[:40],
                key=info.version,
            )

    def show_loading(self, function: str) -> None:
        self.clear()
        self.add_row("…", "", "", "", f"reading versions of {function}")
