"""Every text field of the console has a steady cursor: a blinking one repaints the terminal
twice a second (traffic on a slow SSH link, and a frame that differs from moment to moment)."""

from __future__ import annotations

import ast
from pathlib import Path

from bgtui.ui.widgets.steady_input import SteadyInput

UI = Path(__file__).resolve().parents[2] / "bgtui" / "ui"


def test_no_screen_builds_a_blinking_input() -> None:
    blinking = [
        f"{path.relative_to(UI)}:{node.lineno}"
        for path in sorted(UI.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Input"
    ]
    assert blinking == []


def test_the_steady_input_does_not_blink() -> None:
    assert SteadyInput().cursor_blink is False
