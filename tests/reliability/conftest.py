"""Fixtures of the reliability tests: an isolated keyring and the canary."""

from tests.reliability.canary import canary, isolated_keyring

__all__ = ["canary", "isolated_keyring"]
