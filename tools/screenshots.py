"""`python tools/screenshots.py DIR`: SVGs the console renders of itself, from the emulator.

Each size gets a freshly provisioned demo stack with traffic written for a fixed clock, then:
the dashboard, the promote confirmation, the audit history after the promotion, and the
Terraform view while a real plan of the emulator example streams in (when terraform is found);
then, in a production context, the header's banner and the confirmation that repeats it.
Then `logs.svg`: both colours' logs of the service with the broken candidate, side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot

from bgtui.app.backend import Backend
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_backend
from bgtui.core.models import Identity
from bgtui.ui.app import BgtuiApp

SIZES = ((80, 24), (120, 36))
CLOCK = datetime(2026, 3, 14, 3, 7, 30, tzinfo=UTC)
TRAFFIC_SEED = 20260314
REASON = "CHG-2041 payments 2.3 release"
SHOT_WAIT_S = 60.0
LOGS_SIZE = (160, 40)
PRODUCTION = {"context": "prod", "environment": "production", "profile": "acme-prod"}
"""A production context as `[[context]]` would give it (the demo stack's services say demo)."""
PROD_ALIAS = "acme-payments-prod"


@dataclass(frozen=True)
class OnCall:
    """The caller as the emulator reports it, with a fixed local user: no real host on screen."""

    account: str
    arn: str
    alias: str = ""

    def whoami(self) -> Identity:
        return Identity(self.account, self.arn, "oncall@bastion")

    def account_alias(self) -> str:
        return self.alias


def fixed_clock() -> datetime:
    return CLOCK


async def wait_until(pilot: Pilot[None], ready: Callable[[], bool], limit_s: float) -> None:
    for _ in range(int(limit_s / 0.05)):
        if ready():
            return
        await pilot.pause(0.05)
    raise TimeoutError("the console did not reach the state to capture")


async def idle(pilot: Pilot[None]) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: all(w.is_finished for w in app.workers), SHOT_WAIT_S)
    await pilot.pause()


def demo_profile(home: Path, name: str) -> None:
    """A profile holding the emulator's published fake keys, so the production context can
    name one as an operator's would; the shell's own AWS files are never read."""
    from bgtui.demo.provisioning import DEMO_ENV

    path = home / "aws-credentials"
    key = DEMO_ENV["AWS_ACCESS_KEY_ID"]
    path.write_text(f"[{name}]\naws_access_key_id = {key}\naws_secret_access_key = {key}\n")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(path)
    os.environ["AWS_CONFIG_FILE"] = str(home / "aws-config-none")


def provision(
    url: str, region: str, clock: Callable[[], datetime] = fixed_clock, account_alias: str = ""
) -> None:
    from bgtui.demo.stack import provision_demo
    from bgtui.demo.traffic import TrafficGenerator
    from bgtui.emulator.clients import EmulatorClients

    provision_demo(url, region)
    if account_alias:
        EmulatorClients(url, region).client("iam").create_account_alias(AccountAlias=account_alias)
    TrafficGenerator(url, region, clock=clock, rng=random.Random(TRAFFIC_SEED)).tick()


def logs_clock() -> datetime:
    """The fixed time of day, on the latest day it has passed: CloudWatch Logs (and the
    emulator) take no events older than 14 days, so the log pane's day is the run's."""
    now = datetime.now(UTC)
    at = now.replace(hour=CLOCK.hour, minute=CLOCK.minute, second=CLOCK.second, microsecond=0)
    return at if at <= now else at - timedelta(days=1)


def screenshot_backend(
    url: str,
    region: str,
    work: Path,
    clock: Callable[[], datetime] = fixed_clock,
    **context: str,
) -> Backend:
    """`context`: the settings a `[[context]]` would give (name, environment, profile)."""
    settings = Settings(
        endpoint_url=url,
        region=region,
        audit_path=work / "audit.jsonl",
        refresh_seconds=0,
        demo=True,
        terraform_dir=str(work / "terraform" / "examples" / "emulator"),
    )
    backend = build_backend(replace(settings, **context), clock=clock)
    sts = backend.operations.identity
    caller = sts.whoami()
    backend.operations.identity = OnCall(caller.account, caller.arn, sts.account_alias())
    return backend


async def capture_production(app: BgtuiApp, out: Path, size: tuple[int, int]) -> list[Path]:
    """The production banner on the dashboard, and the promote confirmation repeating it."""
    from textual.widgets import Input

    tag = f"{size[0]}x{size[1]}"
    saved = [out / f"production-banner-{tag}.svg", out / f"production-confirmation-{tag}.svg"]
    async with app.run_test(size=size) as pilot:
        await idle(pilot)
        await select(pilot, app, "payments-api")
        saved[0].write_text(app.export_screenshot(title=f"bgtui · production banner · {tag}"))
        await pilot.press("t")
        await idle(pilot)
        await pilot.press("escape")
        app.clear_notifications()
        await pilot.press("p")
        await idle(pilot)
        app.screen.query_one("#reason", Input).value = REASON
        await pilot.pause()
        title = f"bgtui · production confirmation · {tag}"
        saved[1].write_text(app.export_screenshot(title=title))
        await pilot.press("escape")
    return saved


async def capture(app: BgtuiApp, out: Path, size: tuple[int, int]) -> list[Path]:
    """Drive one console through the four screens, saving each."""
    saved: list[Path] = []
    tag = f"{size[0]}x{size[1]}"

    def save(name: str) -> None:
        path = out / f"{name}-{tag}.svg"
        path.write_text(app.export_screenshot(title=f"bgtui · {name} · {tag}"))
        saved.append(path)

    async with app.run_test(size=size) as pilot:
        await idle(pilot)
        await select(pilot, app, "payments-api")
        save("dashboard")
        await promote(pilot, app, save)
        await pilot.press("a")
        await idle(pilot)
        save("audit")
        await pilot.press("escape")
        if shutil.which("terraform"):
            await terraform(pilot, app, save)
    return saved


async def select(pilot: Pilot[None], app: BgtuiApp, function: str) -> None:
    for _ in range(8):
        if app.model.selected == function:
            break
        await pilot.press("down")
        await idle(pilot)
    await idle(pilot)


async def promote(pilot: Pilot[None], app: BgtuiApp, save: Callable[[str], None]) -> None:
    from textual.widgets import Input

    await pilot.press("t")
    await idle(pilot)
    await pilot.press("escape")
    app.clear_notifications()
    await pilot.press("p")
    await idle(pilot)
    screen = app.screen
    screen.query_one("#reason", Input).value = REASON
    screen.query_one("#typed", Input).value = "payments-api"
    await pilot.pause()
    save("promote-confirmation")
    await pilot.click("#confirm")
    await idle(pilot)
    app.clear_notifications()


async def terraform(pilot: Pilot[None], app: BgtuiApp, save: Callable[[str], None]) -> None:
    await pilot.press("f")
    screen = app.screen
    await wait_until(pilot, lambda: planned_lines(screen) >= 8, 600)
    save("terraform-streaming")
    await pilot.press("escape")
    await idle(pilot)


def planned_lines(screen: object) -> int:
    """How many resource lines of the plan itself (not of init) have arrived."""
    from textual.widgets import RichLog

    found = screen.query("#tf-log")  # type: ignore[attr-defined]
    lines = found.first(RichLog).lines if found else []
    return sum(1 for line in lines if "Plan to" in line.text)


async def shoot(out: Path) -> list[Path]:
    from bgtui.demo.provisioning import use_demo_credentials
    from bgtui.emulator.server import Emulator

    use_demo_credentials()
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    root = Path(__file__).resolve().parents[1] / "terraform"
    with Emulator() as emulator, tempfile.TemporaryDirectory(prefix="bgtui-shots-") as tmp:
        demo_profile(Path(tmp), PRODUCTION["profile"])
        for size in SIZES:
            work = Path(tmp) / f"{size[0]}x{size[1]}"
            # A copy: terraform writes its working files next to the root it plans.
            shutil.copytree(root, work / "terraform", ignore=shutil.ignore_patterns(".terraform*"))
            emulator.reset()
            await asyncio.to_thread(provision, emulator.url, emulator.region)
            backend = screenshot_backend(emulator.url, emulator.region, work)
            app = BgtuiApp(backend, demo=True, clock=fixed_clock, refresh_seconds=0)
            saved += await capture(app, out, size)
            emulator.reset()
            await asyncio.to_thread(
                provision, emulator.url, emulator.region, fixed_clock, PROD_ALIAS
            )
            backend = screenshot_backend(emulator.url, emulator.region, work, **PRODUCTION)
            app = BgtuiApp(backend, demo=True, clock=fixed_clock, refresh_seconds=0)
            saved += await capture_production(app, out, size)
        emulator.reset()
        at = logs_clock()
        await asyncio.to_thread(provision, emulator.url, emulator.region, lambda: at)
        backend = screenshot_backend(emulator.url, emulator.region, Path(tmp), lambda: at)
        app = BgtuiApp(backend, demo=True, clock=lambda: at, refresh_seconds=0)
        saved.append(await capture_logs(app, out))
    return saved


async def capture_logs(app: BgtuiApp, out: Path) -> Path:
    """Both colours' logs of the service whose idle colour holds the broken candidate."""
    from bgtui.ui.screens.logs import LogPane

    async with app.run_test(size=LOGS_SIZE) as pilot:
        await idle(pilot)
        await select(pilot, app, "ledger-writer")
        await pilot.press("l")
        panes = list(app.screen.query(LogPane))
        await wait_until(pilot, lambda: all(pane.events for pane in panes), SHOT_WAIT_S)
        await pilot.pause()
        path = out / "logs.svg"
        path.write_text(app.export_screenshot(title="bgtui · logs · 160x40"))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/screenshots.py")
    parser.add_argument("directory", type=Path, help="where the SVG files are written")
    args = parser.parse_args(argv)
    for path in asyncio.run(shoot(args.directory)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
