"""The demo stack brought up in the emulator: the demo's credentials, then boto3 or Terraform."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, TextIO

from bgtui.core.errors import BgtuiError
from bgtui.core.plain_text import printable
from bgtui.emulator.fake_keys import FAKE_KEY

DEMO_REGION = "us-east-1"
DEMO_ENV = {
    "AWS_ACCESS_KEY_ID": FAKE_KEY,
    "AWS_SECRET_ACCESS_KEY": FAKE_KEY,
    "AWS_REGION": DEMO_REGION,
    "AWS_DEFAULT_REGION": DEMO_REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}
DROPPED_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL")


def use_demo_credentials() -> None:
    """The emulator's published fake keys; a real profile must never reach the demo."""
    for name in DROPPED_ENV:
        os.environ.pop(name, None)
    os.environ.update(DEMO_ENV)


def terraform_available() -> bool:
    """terraform on PATH and an AWS provider it can install without the internet."""
    from bgtui.adapters.terraform.mirror import find_provider_mirror

    if shutil.which("terraform") is None:
        return False
    try:
        return find_provider_mirror() is not None
    except BgtuiError:
        return False


def provision(
    emulator: Any, provisioner: str, scratch: Path, progress: TextIO
) -> tuple[list[str], str]:
    """The demo stack through the APIs (seconds), or through the Terraform example when asked
    (`terraform`, or `auto` where terraform and its provider are here: slower, tens of seconds)."""
    from bgtui.demo.stack import provision_demo

    use_terraform = provisioner == "terraform" or (provisioner == "auto" and terraform_available())
    if use_terraform:
        try:
            return _provision_with_terraform(emulator.url, scratch, progress), "terraform"
        except BgtuiError as error:
            if provisioner == "terraform":
                raise
            progress.write(f"\nterraform provisioning failed ({error}); using boto3\n")
            emulator.reset()
    return provision_demo(emulator.url, DEMO_REGION), "boto3"


def _provision_with_terraform(url: str, scratch: Path, progress: TextIO) -> list[str]:
    from bgtui.core.plan import PlanEvent, PlanSummary
    from bgtui.demo.tf_stack import provision_demo_with_terraform

    counted = {"lines": 0}
    line = ProgressLine(progress, shutil.get_terminal_size().columns)

    def show(step: str, event: PlanEvent) -> None:
        counted["lines"] += 1
        text = event.text if isinstance(event, PlanSummary) else f"{counted['lines']} lines"
        line.show(f"provisioning the demo stack with terraform: {step} · {text}")

    functions = provision_demo_with_terraform(url, DEMO_REGION, scratch, on_event=show)
    progress.write("\n")
    return functions


class ProgressLine:
    """One line rewritten in place: cut to the terminal's width (a wrapped line cannot be
    rewritten) and padded over the longer text it replaces (none of it is left behind)."""

    def __init__(self, out: TextIO, columns: int) -> None:
        self.out = out
        self.columns = max(columns, 20)
        self.width = 0

    def show(self, text: str) -> None:
        shown = printable(text, limit=self.columns - 1)
        self.out.write("\r" + shown.ljust(self.width))
        self.width = len(shown)
        self.out.flush()
