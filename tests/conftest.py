"""Root pytest configuration: the emulator fixtures plugin."""

pytest_plugins = ["tests.emulator_fixtures"]
