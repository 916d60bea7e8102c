"""`argparse` stops at the command line: no module outside bgtui/cli sees it."""

from __future__ import annotations

import ast
from pathlib import Path

import bgtui

PACKAGE = Path(bgtui.__file__).parent
CLI = PACKAGE / "cli"


def imports_of(path: Path) -> set[str]:
    """Every module name a file imports, at any depth (lazy imports inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_no_module_outside_the_cli_imports_argparse() -> None:
    outside = [path for path in PACKAGE.rglob("*.py") if CLI not in path.parents]
    seeing = sorted(
        str(path.relative_to(PACKAGE))
        for path in outside
        if any(name.split(".")[0] == "argparse" for name in imports_of(path))
    )
    assert seeing == []


def test_the_walk_does_see_argparse_where_it_is() -> None:
    # The check above must be able to fail: the parser itself imports argparse.
    assert "argparse" in imports_of(CLI / "main.py")
    assert len(list(PACKAGE.rglob("*.py"))) > 50
