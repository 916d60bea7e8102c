"""The emulator's published fake credentials (not secret), importable without the AWS SDK."""

FAKE_KEY = "testing"
