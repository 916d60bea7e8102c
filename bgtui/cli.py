"""Command-line entry point: arguments → settings → adapters → a command or the console."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("bgtui: not wired yet")
