"""Where the Terraform module and examples are: inside the installed package, or beside it."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
"""The installed `bgtui` package (this file is bgtui/adapters/terraform/tree.py)."""
MODULE = Path("modules") / "lambda-bluegreen"
EMULATOR_EXAMPLE = Path("examples") / "emulator"


def terraform_tree() -> Path | None:
    """The `terraform/` tree: a wheel carries it as `bgtui/_terraform`, a checkout beside bgtui/."""
    for candidate in (PACKAGE / "_terraform", PACKAGE.parent / "terraform"):
        if (candidate / MODULE).is_dir():
            return candidate
    return None
