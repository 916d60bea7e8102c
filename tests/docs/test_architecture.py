"""docs/architecture.md matches the tree: its layers, its paths and the layers contract agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_every_package_of_bgtui_is_drawn_in_the_layer_diagram() -> None:
    packages = {p.name for p in (REPO / "bgtui").iterdir() if (p / "__init__.py").is_file()}
    drawn = set(re.findall(r"^ bgtui\.(\w+)", DOC, re.MULTILINE))
    assert drawn == packages


def test_the_diagram_stacks_the_layers_as_the_contract_does() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["name"].startswith("The layers"))
    contract_order = [name.strip() for layer in layers for name in layer.split("|")]
    drawn_order = re.findall(r"^ (bgtui\.\w+)", DOC, re.MULTILINE)
    assert drawn_order == contract_order


def test_every_path_the_page_names_exists() -> None:
    named = set(re.findall(r"`((?:[\w-]+/)+[\w.-]*)`", DOC))
    assert named, "the page names where things go"
    missing = sorted(
        path
        for path in named
        if not (REPO / path).exists() and not (REPO / "bgtui" / path).exists()
    )
    assert missing == []
