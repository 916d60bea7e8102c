"""The progress line of a long status read: on a terminal only, a few updates a second, cleared."""

from __future__ import annotations

import io

from bgtui.cli.progress import SHOWN_FROM, ProgressLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_sees_a_line_rewritten_in_place_and_cleared() -> None:
    stream, clock = Terminal(), Clock()
    line = ProgressLine(stream, clock)
    for read in range(1, 1001):
        clock.now += 0.001  # 1,000 services a second
        line.services(read, 1000, "eu-west-1")
    written = stream.getvalue()
    assert written.count("\r") == 6, "the first, one every 0.2 s, and the last"
    assert written.endswith("bgtui: reading services in eu-west-1: 1000 of 1000")
    line.close()
    assert stream.getvalue().endswith("\r" + " " * 50 + "\r")


def test_nothing_reaches_a_pipe_or_a_short_read() -> None:
    piped = io.StringIO()
    ProgressLine(piped, Clock()).services(5, 1000, "eu-west-1")
    assert piped.getvalue() == ""
    short = Terminal()
    line = ProgressLine(short, Clock())
    line.services(1, SHOWN_FROM - 1, "eu-west-1")
    line.close()
    assert short.getvalue() == ""
