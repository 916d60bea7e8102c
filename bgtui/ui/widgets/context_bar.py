"""The header line that says where the console acts: account, environment, region, profile."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from bgtui.core.plain_text import printable
from bgtui.core.whereabouts import PRODUCTION_MARK, Whereabouts

# Reverse video keeps the banner unmistakable on a monochrome terminal and under NO_COLOR.
BANNER = "reverse bold"


class ContextBar(Static):
    """Always on screen; in production it leads with a banner of word and symbol."""

    DEFAULT_CSS = """
    ContextBar { height: auto; max-height: 2; }
    ContextBar.-production { background: $error 40%; text-style: bold; }
    """

    where: reactive[Whereabouts] = reactive(Whereabouts, layout=False)
    """Where every call of this console goes, and the selected service's environment."""

    def watch_where(self, where: Whereabouts) -> None:
        self.set_class(where.production, "-production")

    def render(self) -> Text:
        where = self.where
        text = Text()
        if where.production:
            text.append(f" {PRODUCTION_MARK} ", style=BANNER)
            text.append(" ")
        for index, (label, value) in enumerate(where.parts()):
            if index:
                text.append(" · ", style="dim")
            text.append(f"{label} ", style="dim")
            text.append(printable(value))
        return text
