"""Both front ends reach AWS through the application layer: neither holds the core's catalog,
operations or metrics port itself (the console's refresh reads included)."""

from __future__ import annotations

import ast
from pathlib import Path

BGTUI = Path(__file__).resolve().parents[2] / "bgtui"
CORE_PARTS = {"catalog", "operations", "metrics"}


def reaches_past_the_service(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(BGTUI)}:{node.lineno} .backend.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in CORE_PARTS
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "backend"
    ]


def test_the_console_and_the_cli_go_through_the_release_service() -> None:
    found = [
        hit
        for front_end in ("ui", "cli")
        for path in sorted((BGTUI / front_end).rglob("*.py"))
        for hit in reaches_past_the_service(path)
    ]
    assert found == []


def test_the_check_sees_a_reach_past_the_service() -> None:
    sample = BGTUI / "ui" / "_sample_for_the_check.py"
    try:
        sample.write_text("def f(app):\n    return app.service.backend.catalog\n")
        assert reaches_past_the_service(sample) == [
            "ui/_sample_for_the_check.py:2 .backend.catalog"
        ]
    finally:
        sample.unlink()
