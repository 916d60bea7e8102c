"""Text from outside is text: a hostile corpus through every screen of the console.

Anyone who can publish a version, tag a function, make it answer, write an audit reason or
print from terraform must not be able to style the operator's screen, plant an action in it,
move its cursor, retitle the terminal or reorder its text. The corpus covers Rich/Textual
markup with `@click` actions and links, ANSI CSI and OSC (title, OSC 8 hyperlink) escapes,
8-bit C1 controls, right-to-left overrides and isolates, zero-width characters, long lines.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.pilot import Pilot

from bgtui.core.errors import AwsError, Refused
from bgtui.core.models import (
    AlarmState,
    AliasState,
    Colour,
    InvokeResult,
    LiveRecord,
    PreviousLive,
)
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.conflict import ConflictScreen
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.fake_terraform import FakeTerraform
from tests.ui.helpers import (
    column_text,
    region_text,
    screen_lines,
    screen_segments,
    select_service,
    settle,
)

CLICK = "[@click=app.quit]CLICKME[/] [reverse]REV[/]"
HOSTILE = (
    CLICK,
    "[link=https://evil.example]link[/link] [bold red]LOUD[/]",
    "\x1b[31mRED\x1b[0m\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\osc8\x1b]8;;\x1b\\",
    "\x9b31mC1 \x07bell \x08back \rreturn",
    "admin\u202egnp.exe \u2066iso\u2069 zero\u200bwidth",
    "W" * 400,
)
INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs"}
"""Unicode categories a terminal obeys or hides rather than draws: none may reach it."""
TAGGABLE = CLICK  # tag values must be printable (ref_from_tags): markup still passes


def hostile_aws() -> MetricsFakeAws:
    aws = demo_aws()
    ledger = aws.functions["ledger-writer"]
    ledger.versions = [
        replace(info, description=HOSTILE[i % len(HOSTILE)])
        for i, info in enumerate(ledger.versions)
    ]
    ledger.tags["bluegreen:environment"] = TAGGABLE
    previous = PreviousLive(Colour.GREEN, "1")
    record = LiveRecord(Colour.BLUE, previous, changed_at=HOSTILE[2], changed_by=HOSTILE[5])
    ledger.aliases["live"] = replace(ledger.aliases["live"], description=record.to_description())
    payments = aws.functions["payments-api"]
    payments.tags["bluegreen:service"] = "Payments " + TAGGABLE
    aws.alarms.append(AlarmState("payments-api-blue-" + HOSTILE[2], "ALARM", "blue", HOSTILE[2]))
    aws.stages["api0"]["test"] = replace(aws.stages["api0"]["test"], lambda_alias=HOSTILE[3])
    answer = " | ".join(HOSTILE[:6])
    aws.invoke = lambda function, qualifier, payload: InvokeResult(  # type: ignore[method-assign]
        200, answer, "Unhandled", "3"
    )
    return aws


def console(aws: MetricsFakeAws, tmp_path: Path) -> BgtuiApp:
    backend = fake_backend(aws, tmp_path)
    ops = backend.operations
    ops.run_smoke(ops.catalog.find("ledger-writer"))
    for reason in HOSTILE:
        # Refused (no earlier swap to return to) and recorded with the reason as typed.
        change = ops.prepare_rollback(ops.catalog.find("ledger-writer"), reason=reason)
        with pytest.raises(Refused):
            ops.execute(change, "")
    runner = FakeTerraform(lines=HOSTILE)
    return BgtuiApp(backend, clock=lambda: NOW, refresh_seconds=0, terraform=lambda: runner)


def invisible(segment: Segment) -> list[str]:
    return [c for c in segment.text if unicodedata.category(c) in INVISIBLE and c != "\n"]


def assert_literal(app: BgtuiApp, where: str) -> str:
    """Nothing on screen is a control character, a link or an action planted by the corpus."""
    assert app.is_running, f"{where}: the console quit"
    for segment in screen_segments(app):
        if segment.control:
            continue
        assert not invisible(segment), f"{where}: {segment.text!r} reaches the terminal"
        style = segment.style
        if style is not None:
            assert not style.link, f"{where}: a link {style.link!r} in {segment.text!r}"
            meta = style.meta or {}
            assert "@click" not in meta, f"{where}: an action in {segment.text!r}"
    return "\n".join(screen_lines(app))


async def visit(pilot: Pilot[None], key: str, where: str) -> str:
    await pilot.press(key)
    await settle(pilot)
    text = assert_literal(pilot.app, where)  # type: ignore[arg-type]
    await pilot.press("escape")
    await settle(pilot)
    return text


async def test_hostile_text_is_shown_literally_on_every_screen(tmp_path: Path) -> None:
    aws = hostile_aws()
    app = console(aws, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select_service(pilot, "ledger-writer")
        dashboard = assert_literal(app, "dashboard")
        assert CLICK in dashboard, "markup in a version description shows as typed"
        assert "\\u202e" in dashboard, "a right-to-left override shows as an escape"
        row, column = next(
            (y, line.index("CLICKME"))
            for y, line in enumerate(screen_lines(app))
            if "CLICKME" in line
        )
        await pilot.click(offset=(column + 2, row))
        await settle(pilot)
        assert app.is_running, "clicking the planted text quit the console"

        await pilot.press("t")
        await settle(pilot)
        assert_literal(app, "smoke results (ledger-writer)")
        detail = column_text(region_text(app, app.screen.query_one("#results")), "detail")
        assert "\\x1b[31mRED" in detail and "".join(CLICK.split()) in detail
        await pilot.press("escape")
        await settle(pilot)
        await visit(pilot, "p", "promote confirmation")
        await visit(pilot, "d", "deploy")
        await visit(pilot, "c", "chart")
        await visit(pilot, "question_mark", "help")
        terraform = await visit(pilot, "f", "terraform")
        assert "\\x1b]0;pwned\\x07" in terraform
        await pilot.press("a")
        await settle(pilot)
        audit = assert_literal(app, "audit")
        assert "[@click=app.quit]CLICKME[/]" in audit
        details = []
        for _ in range(len(HOSTILE) + 2):
            details.append(assert_literal(app, "audit record detail"))
            await pilot.press("down")
        assert any(f"reason: {CLICK}" in detail for detail in details)
        await pilot.press("escape")
        await settle(pilot)

        await select_service(pilot, "payments-api")
        payments = assert_literal(app, "dashboard (payments-api)")
        assert "Payments " + CLICK in payments
        await visit(pilot, "t", "smoke results (payments-api)")
        await visit(pilot, "p", "promote confirmation (payments-api)")

        aws.metrics_error = AwsError(" ".join(HOSTILE[:6]))
        app.refresh_now(metrics_now=True)
        await settle(pilot)
        stale = assert_literal(app, "stale badge and outcome line")
        assert "STALE" in stale

        state = app.model.state("ledger-writer")
        assert state is not None
        change = app.backend.operations.prepare_promote(state.ref, reason="x")
        now = replace(state, live=AliasState("live", "3", "rev-z", state.live.description))  # type: ignore[union-attr]
        app.push_screen(ConflictScreen(change, " ".join(HOSTILE), now))
        await settle(pilot)
        conflict = assert_literal(app, "conflict")
        assert "last swap by admin\\u202egnp.exe" in conflict
