"""The core imports neither the UI toolkit nor the AWS SDK (the import contract, proven)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import bgtui.core


def test_core_loads_without_textual_or_boto3() -> None:
    modules = [f"bgtui.core.{m.name}" for m in pkgutil.iter_modules(bgtui.core.__path__)]
    assert len(modules) >= 8
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'boto3', 'botocore', 'moto', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ""
