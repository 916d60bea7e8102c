"""Fixtures of the reliability tests: an isolated keyring and the canary; fresh services on the
emulator, an operator's home, the in-process CLI and the fault proxy."""

from tests.reliability.canary import canary, isolated_keyring
from tests.reliability.harness import cli, clients, home, proxy, quick_backoff, service

__all__ = [
    "canary",
    "cli",
    "clients",
    "home",
    "isolated_keyring",
    "proxy",
    "quick_backoff",
    "service",
]
