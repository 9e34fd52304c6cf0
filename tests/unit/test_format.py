"""Number, size, duration and ratio formatting."""

from __future__ import annotations

import pytest

from pgwatch_tui.core import format as fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "—"),
        (0, "0"),
        (12, "12"),
        (2.5, "2.5"),
        (9999, "9999"),
        (12345, "12.3k"),
        (2_500_000, "2.5M"),
        (3e9, "3.0G"),
    ],
)
def test_number(value: float | None, expected: str) -> None:
    assert fmt.number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "—"), (0, "0 B"), (8192, "8.0 kB"), (1536 * 1024, "1.5 MB"), (3 * 1024**4, "3.0 TB")],
)
def test_size(value: float | None, expected: str) -> None:
    assert fmt.size(value) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, "—"),
        (0.25, "250ms"),
        (12, "12s"),
        (303, "5m03s"),
        (7500, "2h05m"),
        (3 * 86400 + 4 * 3600, "3d04h"),
    ],
)
def test_duration(seconds: float | None, expected: str) -> None:
    assert fmt.duration(seconds) == expected


def test_milliseconds_and_percent() -> None:
    assert fmt.milliseconds(0.123) == "0.12"
    assert fmt.milliseconds(45.33) == "45.3"
    assert fmt.milliseconds(1234) == "1234"
    assert fmt.percent(0.98765) == "98.8%"
    assert fmt.percent(None) == "—"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(42.0, "42s"), (60.0, "1m"), (1530.9, "25m"), (3599.0, "59m"), (3600.0, "1h00m")],
)
def test_coarse_duration_changes_once_a_minute_after_the_first(
    seconds: float, expected: str
) -> None:
    assert fmt.coarse_duration(seconds) == expected
