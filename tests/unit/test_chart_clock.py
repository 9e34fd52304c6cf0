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


def test_a_chart_keeps_each_steps_lowest_and_highest_point() -> None:
    # 15 minutes at a 1 s refresh: 900 points, a spike and a dip among them.
    values = [10.0 + (s % 3) for s in range(900)]
    values[400], values[401] = 95.0, -5.0
    points = [(T0 + timedelta(seconds=s), v) for s, v in enumerate(values)]
    now = T0 + timedelta(seconds=900)
    _label, kept = to_series("tps", points, now, step_min=15 / 120)
    assert len(kept) <= 2 * 121
    assert max(y for _, y in kept) == 95.0
    assert min(y for _, y in kept) == -5.0
    assert [x for x, _ in kept] == sorted(x for x, _ in kept)  # still in time order
    assert {y for _, y in kept} == {10.0, 12.0, 95.0, -5.0}  # each step's extremes only
