"""The demo's emulator process reads back exactly the command line the console writes for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.core.errors import BadInput
from bgtui.demo.process import ProcessOptions


@pytest.mark.parametrize("empty", [False, True])
def test_the_command_line_round_trips(empty: bool) -> None:
    options = ProcessOptions("eu-west-1", Path("/run/demo 1"), "terraform", 4599, empty)
    assert ProcessOptions.parse(options.argv()) == options


def test_defaults_fill_what_is_left_out() -> None:
    parsed = ProcessOptions.parse(["--run-dir", "/tmp/d", "--region", "us-east-1"])
    assert parsed == ProcessOptions("us-east-1", Path("/tmp/d"))


@pytest.mark.parametrize(
    "argv",
    [
        ["--region", "us-east-1"],
        ["--region", "us-east-1", "--run-dir"],
        ["--region", "us-east-1", "--run-dir", "/d", "--port", "x"],
        ["--region", "us-east-1", "--run-dir", "/d", "--colour", "blue"],
    ],
    ids=["no-run-dir", "dangling", "port-not-a-number", "unknown-option"],
)
def test_anything_else_is_bad_input(argv: list[str]) -> None:
    with pytest.raises(BadInput):
        ProcessOptions.parse(argv)
