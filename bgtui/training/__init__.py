"""Guided training scenarios on the embedded emulator: scripted steps, a fast clock, progress."""
