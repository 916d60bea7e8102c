"""The top bar with its badges, the status bar, the outcome line, the running operation, banners."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, LoadingIndicator, Static

from bgtui.core.plain_text import printable

# Reverse video keeps a badge visible on a monochrome terminal and under NO_COLOR.
BADGE = "reverse bold"
FAILED_MARK = "!"
"""After a region whose last read failed; the stale badge says what and why."""


class TopBar(Static):
    """The console's name and its badges: DEMO, READ-ONLY, STALE."""

    demo: reactive[bool] = reactive(False)
    """The data is synthetic (embedded emulator)."""
    read_only: reactive[bool] = reactive(False)
    """Mutations are refused."""
    stale: reactive[str] = reactive("")
    """Why the data on screen is not current; empty when the last refresh succeeded."""

    def render(self) -> Text:
        text = Text.assemble((" bgtui ", "bold"), ("blue/green console", "dim"))
        for badge in self._badges():
            text.append("  ")
            text.append(f" {badge} ", style=BADGE)
        return text

    def _badges(self) -> list[str]:
        badges = []
        if self.demo:
            badges.append("DEMO · synthetic data")
        if self.read_only:
            badges.append("READ-ONLY")
        if self.stale:
            badges.append(f"STALE · {printable(self.stale)}")
        return badges


class StatusBar(Static):
    """Where the console points and when it last read: region, account, endpoint host, time."""

    aws_region: reactive[str] = reactive("")
    """The AWS region of every call."""
    account: reactive[str] = reactive("…")
    """The caller's account id, once STS answered."""
    endpoint_host: reactive[str] = reactive("")
    """The endpoint override's host name; empty for AWS itself."""
    refreshed: reactive[str] = reactive("never")
    """When state and metrics were last read successfully (UTC)."""
    regions: reactive[tuple[str, ...]] = reactive(())
    """Every region the console reads, when it reads several; the first is `aws_region`."""
    failed_regions: reactive[frozenset[str]] = reactive(frozenset())
    """Regions (of several) whose last read failed: marked, so no one takes them as current."""

    def render(self) -> Text:
        endpoint = self.endpoint_host or "AWS"
        rest = Text.assemble(
            ("  acct ", "dim"),
            printable(self.account),
            ("  via ", "dim"),
            printable(endpoint),
            ("  read ", "dim"),
            self.refreshed,
        )
        if len(self.regions) < 2:
            return Text.assemble(printable(self.aws_region or "?"), rest)
        every = self._regions(self.regions)
        if every.cell_len + rest.cell_len <= self.size.width:
            return every + rest
        return self._regions(self.regions[:1], self.regions[1:]) + rest

    def _regions(self, named: Sequence[str], counted: Sequence[str] = ()) -> Text:
        """`us-east-1 +eu-west-1!`, or `us-east-1 +1!` where the names do not fit; `!` (bold)
        after a region whose last read failed."""
        text = Text()
        for index, region in enumerate(named):
            text.append(" +" if index else "")
            text.append(printable(region))
            if region in self.failed_regions:
                text.append(FAILED_MARK, style=BADGE)
        if counted:
            text.append(f" +{len(counted)}")
            if self.failed_regions & set(counted):
                text.append(FAILED_MARK, style=BADGE)
        return text


class OutcomeBar(Static):
    """The latest outcome or refusal, in a line of its own: it never covers a control."""

    MARKS = {"information": "·", "warning": "!", "error": "✖"}
    HISTORY = 50

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.history: list[str] = []
        """Every line shown, oldest first (the last few dozen)."""

    def say(self, at: str, text: str, severity: str = "information") -> None:
        line = f"{at} {self.MARKS.get(severity, '·')} {printable(text)}"
        self.history = [*self.history[-self.HISTORY + 1 :], line]
        style = "bold" if severity != "information" else ""
        self.update(Text(line, style=style))


class OperationBar(Horizontal):
    """A spinner and a line saying what is running; hidden when nothing is."""

    DEFAULT_CSS = """
    OperationBar { height: 1; display: none; }
    OperationBar.-running { display: block; }
    OperationBar LoadingIndicator { width: 8; height: 1; min-height: 1; }
    OperationBar Label { width: 1fr; text-style: bold; }
    """

    running: reactive[str] = reactive("")
    """What the operation is doing, e.g. `promoting payments-api…`; empty when idle."""

    def compose(self) -> ComposeResult:
        yield Label()

    def watch_running(self, running: str) -> None:
        self.set_class(bool(running), "-running")
        self.query_one(Label).update(Text(f"⟳ {printable(running)}") if running else "")
        # Mounted only while something runs: an idle spinner would still wake 16 times a second.
        spinners = self.query(LoadingIndicator)
        if running and not spinners:
            self.mount(LoadingIndicator(), before=0)
        elif not running:
            spinners.remove()


class WalkthroughBar(Static):
    """The training step to do now; hidden outside a walkthrough."""

    DEFAULT_CSS = """
    WalkthroughBar { height: auto; max-height: 3; display: none; padding: 0 1; }
    WalkthroughBar.-active { display: block; }
    """

    def show(self, banner: str) -> None:
        self.set_class(bool(banner), "-active")
        self.update(Text.assemble((" TRAINING ", BADGE), " ", printable(banner, lines=True)))


class CredentialsBar(Static):
    """What to do when the AWS credentials expired mid-shift; hidden while they work."""

    DEFAULT_CSS = """
    CredentialsBar { height: auto; max-height: 4; display: none; padding: 0 1; }
    CredentialsBar.-active { display: block; }
    """

    def show(self, advice: str) -> None:
        self.set_class(bool(advice), "-active")
        badge = (" CREDENTIALS EXPIRED ", BADGE)
        self.update(Text.assemble(badge, " ", printable(advice, lines=True)) if advice else "")
