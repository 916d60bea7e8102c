"""The `[watch]` configuration table: defaults, values and one clear line for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.app.settings import load_settings
from bgtui.core.errors import BadInput
from bgtui.core.watch import WatchThresholds


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_defaults_without_a_watch_table(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, ""), env={}).watch == WatchThresholds()


def test_watch_table_is_read(tmp_path: Path) -> None:
    text = "[watch]\nminutes = 15\nerror_percent = 1\np99_ms = 800\nbreaching_minutes = 2\n"
    watch = load_settings(write(tmp_path, text), env={}).watch
    assert watch == WatchThresholds(15, 1.0, 800.0, 10, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("minutes = -1", "[watch] minutes must be a whole number from 0 to 1440"),
        ("minutes = 2.5", "[watch] minutes must be a whole number from 0 to 1440"),
        ("error_percent = 'high'", "[watch] error_percent must be a number from 0 to 100"),
        ("breaching_minutes = 0", "[watch] breaching_minutes must be a whole number from 1 to 60"),
        ("window = 3", "unknown key [watch] 'window'"),
    ],
)
def test_bad_watch_values_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        load_settings(write(tmp_path, f"[watch]\n{text}\n"), env={})
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
