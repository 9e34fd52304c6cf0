"""Overview charts move in steps, so they are redrawn a few times a minute, not every refresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pgwatch_tui.ui.widgets.history_chart import chart_clock, to_series

T0 = datetime(2026, 11, 22, 3, 0, 0, tzinfo=UTC)


def test_the_clock_steps_by_window_over_120() -> None:
    assert chart_clock(T0 + timedelta(seconds=7.4), 15) == T0  # 15 min / 120 = 7.5 s
    assert chart_clock(T0 + timedelta(seconds=7.5), 15) == T0 + timedelta(seconds=7.5)
    assert chart_clock(T0 + timedelta(seconds=0.4), 1) == T0  # 1 min / 120 = 0.5 s


def test_series_within_a_step_are_identical_so_nothing_redraws() -> None:
    points = [(T0 + timedelta(seconds=s), float(s)) for s in range(20)]
    seen = set()
    for now in range(8, 15):  # refreshes every second inside the step [7.5 s, 15 s)
        clock = chart_clock(T0 + timedelta(seconds=now), 15)
        visible = [p for p in points if p[0] <= T0 + timedelta(seconds=now)]
        seen.add(to_series("tps", visible, clock))
    assert len(seen) == 1
    (series,) = seen
    assert series[1][-1] == (0.0 - 0.5 / 60, 7.0)  # the newest point shown is 0.5 s before the edge
