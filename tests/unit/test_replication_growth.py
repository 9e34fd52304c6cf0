"""How fast a slot keeps more WAL and a standby falls behind: measured between the two
readings of the probe, on the server clock; a gauge may shrink, which is no reset."""

from __future__ import annotations

from typing import Any

from pgwatch_tui.core.collect.rates import derive
from tests.factories import at, probes_ok, snapshot, standby
from tests.factories import replication_slot as slot


def reading(seconds: float, collected: float, **over: Any) -> Any:
    names = ("replication_slots", "replication")
    return snapshot(at(seconds), probes=probes_ok(at(collected), *names), **over)


def test_slot_growth_is_bytes_per_second_between_readings() -> None:
    first = reading(0, 0, replication_slots=(slot("a", 1000), slot("b", 5000), slot("c", None)))
    second = reading(
        4, 4, replication_slots=(slot("a", 9000), slot("b", 1000), slot("c", 10), slot("d", 7))
    )
    growth = derive(first, second).slot_growth
    assert growth == {"a": 2000.0, "b": -1000.0}  # c was unknown, d is new: no rate yet


def test_a_tick_without_a_new_reading_keeps_the_last_growth() -> None:
    first = reading(0, 0, replication_slots=(slot("a", 0),))
    second = derive(first, reading(2, 2, replication_slots=(slot("a", 200),)))
    assert second.slot_growth == {"a": 100.0}
    # The slots were not read again (tables cadence): same collection time, same growth.
    third = derive(second, reading(4, 2, replication_slots=(slot("a", 200),)))
    assert third.slot_growth == {"a": 100.0}


def test_standby_lag_growth_is_by_wal_sender() -> None:
    first = reading(0, 0, replication=(standby(11, 100), standby(12, 0)))
    second = reading(2, 2, replication=(standby(11, 4100), standby(13, 50)))
    assert derive(first, second).standby_lag_growth == {11: 2000.0}


def test_no_interval_no_growth() -> None:
    first = reading(0, 0, replication_slots=(slot("a", 0),))
    assert derive(first, reading(0, 0, replication_slots=(slot("a", 50),))).slot_growth == {}
