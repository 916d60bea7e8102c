"""The boto3 type stubs serve the type checker only: no bgtui module loads them at run time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bgtui

STUB_PACKAGES = ("mypy_boto3_",)
"""The importable part of the stubs (boto3-stubs and botocore-stubs only hold .pyi files)."""


def modules_naming_stubs() -> list[str]:
    root = Path(bgtui.__file__).parent
    return sorted(
        ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for path in root.rglob("*.py")
        if "mypy_boto3_" in path.read_text(encoding="utf-8")
    )


def test_modules_typed_with_the_stubs_load_none_of_them() -> None:
    modules = modules_naming_stubs()
    assert "bgtui.adapters.aws.session" in modules and "bgtui.emulator.clients" in modules
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + f"print(','.join(sorted(m for m in sys.modules if m.startswith({STUB_PACKAGES!r}))))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ""
