"""The gap-aware sparkline: gaps stay gaps, still-filling minutes set apart, one shared scale."""

from __future__ import annotations

from bgtui.ui.spark import BARS, GAP, SPLIT, bar, format_value, full_scale, spark_text


def test_missing_minutes_are_gaps_never_the_lowest_bar() -> None:
    text = spark_text([1.0, None, 1.0], incomplete=0, width=10, top=1.0)
    assert text.plain == f"{BARS[-1]}{GAP}{BARS[-1]}"
    assert bar(0.0, 1.0) == BARS[0] and bar(None, 1.0) == GAP


def test_incomplete_minutes_follow_a_split_and_are_dimmed() -> None:
    text = spark_text([0.0, 0.5, 1.0, None], incomplete=2, width=10, top=1.0)
    assert text.plain == f"{BARS[0]}{BARS[4]}{SPLIT}{BARS[-1]}{GAP}"
    dimmed = [span for span in text.spans if "dim" in str(span.style)]
    assert any(text.plain[s.start : s.end] == f"{BARS[-1]}{GAP}" for s in dimmed)


def test_narrow_space_keeps_the_newest_minutes() -> None:
    values = [float(i) for i in range(30)]
    text = spark_text(values, incomplete=2, width=6, top=29.0)
    assert len(text.plain) == 6
    assert text.plain.endswith(f"{SPLIT}{bar(28.0, 29.0)}{bar(29.0, 29.0)}")


def test_both_colours_share_one_scale_with_a_floor() -> None:
    assert full_scale("error_rate", [0.1, None], [0.2]) == 5.0
    assert full_scale("p99", [150.0], [900.0, None]) == 900.0


def test_readings_are_short_and_say_no_data() -> None:
    assert format_value("error_rate", None) == "—"
    assert format_value("error_rate", 0.42) == "0.4%"
    assert format_value("p99", 1234.0) == "1.2s"
    assert format_value("invocations", 12_345.0) == "12k"
