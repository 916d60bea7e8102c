"""The demo world on the embedded emulator: its stack, traffic, scenarios and runner."""
