"""History ring buffers stay bounded in time and count."""

from __future__ import annotations

from datetime import timedelta

from pgwatch_tui.core.collect.history import History, cache_hit_ratio, oldest_transaction_s
from pgwatch_tui.core.collect.rates import derive
from pgwatch_tui.core.record.replay import spread
from tests.factories import at, database, session, snapshot


def test_history_keeps_only_the_window() -> None:
    history = History(minutes=1)
    for second in range(0, 300, 10):
        history.add(snapshot(at(second)))
    points = history.points("active")
    assert points[0][0] == at(230)  # 60 s before the newest (290)
    assert len(points) == 7


def test_history_is_capped_in_count() -> None:
    history = History(minutes=60, max_points=5)
    for second in range(20):
        history.add(snapshot(at(second)))
    assert len(history.points("commits")) == 5


def test_the_same_tick_is_not_added_twice() -> None:
    history = History(minutes=5)
    history.add(snapshot(at(1)))
    history.add(snapshot(at(1)))
    assert len(history) == 1


def test_rates_flow_into_history() -> None:
    first = derive(None, snapshot(at(0), databases=(database(blks_hit=0, blks_read=0),)))
    second = derive(
        first, snapshot(at(1), databases=(database(xact_commit=1100, blks_hit=90, blks_read=10),))
    )
    history = History(minutes=5)
    history.add(second)
    assert history.points("commits")[-1][1] == 100
    assert cache_hit_ratio(second) == 0.9
    assert history.points("cache_hit")[-1][1] == 90.0


def test_spreading_replayed_snapshots_keeps_every_session_age() -> None:
    recorded = [
        snapshot(at(n), sessions=(session(at(n), pid=1, xact_age_s=30.0 + n),)) for n in (0, 1)
    ]
    spaced = spread(recorded, 60.0)
    assert [s.taken_at for s in spaced] == [at(1) - timedelta(seconds=60), at(1)]
    for before, after in zip(recorded, spaced, strict=True):
        ages = [s.xact_age(before.server.now) for s in before.sessions]
        assert [s.xact_age(after.server.now) for s in after.sessions] == ages
    assert oldest_transaction_s(spaced[0]) == 30.0


def test_history_reads_back_each_point_as_added() -> None:
    history = History(minutes=60, max_points=4)
    for second in range(6):  # wraps the ring once
        history.add(snapshot(at(second), databases=(database(xact_commit=second),)))
    assert [when for when, _ in history.points("commits")] == [at(s) for s in range(2, 6)]
    assert {value for _, value in history.points("commits")} == {None}  # no rate without a pair
    assert [value for _, value in history.points("active")] == [0.0] * 4


def test_every_metric_reads_one_window_until_a_point_is_added() -> None:
    history = History(minutes=1)
    for second in (0, 10, 20):
        history.add(snapshot(at(second)))
    commits, active = history.points("commits"), history.points("active")
    # The Overview reads every metric at each chart step: the instants are worked out once.
    assert all(c[0] is a[0] for c, a in zip(commits, active, strict=True))
    history.add(snapshot(at(70)))  # the window moves on: the point at 0 falls out of it
    assert [when for when, _ in history.points("active")] == [at(10), at(20), at(70)]


def test_history_holds_no_more_memory_as_it_fills() -> None:
    import tracemalloc

    from pgwatch_tui.core.collect import history as module

    def held() -> int:
        only_history = [tracemalloc.Filter(True, module.__file__)]
        return sum(s.size for s in tracemalloc.take_snapshot().filter_traces(only_history).traces)

    snapshots = [snapshot(at(second)) for second in range(600)]
    tracemalloc.start()
    try:
        history = History(minutes=60)
        history.add(snapshots[0])
        before = held()
        for later in snapshots[1:]:
            history.add(later)
        assert held() - before < 1024  # the deques this replaced grew by ~1 KB a point
    finally:
        tracemalloc.stop()
