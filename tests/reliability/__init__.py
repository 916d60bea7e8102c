"""Reliability tests: secrets stay secret, failures stay one line."""
