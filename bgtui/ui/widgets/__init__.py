"""Widgets of the console, one responsibility each."""
