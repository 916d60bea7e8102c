"""`python -m bgtui`: the same as the `bgtui` command."""

from bgtui.cli.main import run

run()
