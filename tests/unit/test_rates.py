"""Rate maths: per-second values on the server clock; resets give no value, never negatives."""

from __future__ import annotations

import pytest

from pgwatch_tui.core.collect.rates import (
    counter_delta,
    database_rates,
    derive,
    hit_ratio,
    per_second,
    seconds_between,
    statement_delta,
)
from pgwatch_tui.core.model.snapshot import StatementsInfo
from tests.factories import T0, at, database, probes_ok, snapshot, statement


def test_seconds_between_requires_forward_time() -> None:
    assert seconds_between(at(0), at(2)) == 2
    assert seconds_between(at(2), at(2)) is None
    assert seconds_between(at(3), at(2)) is None
    assert seconds_between(None, at(2)) is None


def test_counter_going_backwards_is_a_reset_not_a_negative() -> None:
    assert counter_delta(10, 15) == 5
    assert counter_delta(15, 10) is None
    assert per_second(10, 20, 2.0) == 5
    assert per_second(20, 10, 2.0) is None
    assert per_second(10, 20, None) is None


def test_hit_ratio_without_any_access_is_unknown_not_100_percent() -> None:
    assert hit_ratio(90, 10) == 0.9
    assert hit_ratio(0, 0) is None
    assert hit_ratio(None, 5) is None


def test_database_rates_over_an_interval() -> None:
    before = database(xact_commit=1000, xact_rollback=10, blks_hit=900, blks_read=100)
    after = database(xact_commit=1200, xact_rollback=14, blks_hit=1290, blks_read=110, deadlocks=1)
    rates = database_rates(before, after, 2.0)
    assert rates.commits_per_s == 100
    assert rates.rollbacks_per_s == 2
    assert rates.tps == 102
    assert rates.cache_hit_ratio == pytest.approx(390 / 400)
    assert rates.cumulative_cache_hit_ratio == pytest.approx(1290 / 1400)
    assert rates.deadlocks == 1


def test_stats_reset_gives_no_rates_but_keeps_the_cumulative_ratio() -> None:
    before = database(xact_commit=5000)
    after = database(xact_commit=20, stats_reset=at(1))
    rates = database_rates(before, after, 2.0)
    assert rates.tps is None
    assert rates.commits_per_s is None
    assert rates.cache_hit_ratio is None
    assert rates.cumulative_cache_hit_ratio is not None


def test_one_counter_going_backwards_blanks_only_that_rate() -> None:
    before = database(xact_commit=1000, tup_inserted=500)
    after = database(xact_commit=1100, tup_inserted=100)
    rates = database_rates(before, after, 1.0)
    assert rates.commits_per_s == 100
    assert rates.tup_inserted_per_s is None


def test_no_previous_sample_means_no_rates() -> None:
    rates = database_rates(None, database(), None)
    assert rates.tps is None


def test_statement_delta_for_a_continuing_entry() -> None:
    before = statement(calls=100, total_exec_ms=500.0, rows=1000, shared_blks_read=100)
    after = statement(calls=110, total_exec_ms=600.0, rows=1100, shared_blks_read=120)
    delta = statement_delta(before, after, 2.0, at(0))
    assert delta is not None
    assert delta.calls == 10
    assert delta.total_exec_ms == 100
    assert delta.mean_exec_ms == 10
    assert delta.calls_per_s == 5
    assert delta.exec_ms_per_s == 50
    assert delta.rows_per_s == 50
    assert delta.blks_read_per_s == 10


def test_idle_statement_has_zero_calls_and_no_mean() -> None:
    delta = statement_delta(statement(), statement(), 1.0, at(0))
    assert delta is not None
    assert delta.calls == 0
    assert delta.mean_exec_ms is None
    assert delta.shared_hit_ratio is None


def test_new_entry_counts_whole_totals_as_the_interval() -> None:
    delta = statement_delta(None, statement(calls=3, total_exec_ms=30.0), 1.0, at(0))
    assert delta is not None
    assert delta.calls == 3
    assert delta.mean_exec_ms == 10


def test_evicted_and_readded_entry_with_fewer_calls_gives_no_value() -> None:
    before = statement(calls=100, total_exec_ms=500.0)
    after = statement(calls=4, total_exec_ms=20.0)
    assert statement_delta(before, after, 1.0, at(0)) is None


def test_recreated_entry_is_detected_by_stats_since() -> None:
    before = statement(calls=100, total_exec_ms=500.0, stats_since=at(-100))
    # Re-created within the interval: its totals are the interval's work.
    after = statement(calls=150, total_exec_ms=700.0, stats_since=at(0.5))
    delta = statement_delta(before, after, 1.0, at(0))
    assert delta is not None
    assert delta.calls == 150


def test_recreated_entry_before_the_interval_gives_no_value() -> None:
    before = statement(calls=100, stats_since=at(-100))
    after = statement(calls=150, stats_since=at(-50))
    assert statement_delta(before, after, 1.0, at(0)) is None


def test_time_without_calls_is_a_reset() -> None:
    before = statement(calls=100, total_exec_ms=500.0)
    after = statement(calls=100, total_exec_ms=520.0)
    assert statement_delta(before, after, 1.0, at(0)) is None


def test_plan_time_missing_before_1_8_stays_missing() -> None:
    before = statement(total_plan_ms=None, calls=1)
    after = statement(total_plan_ms=None, calls=2, total_exec_ms=505.0)
    delta = statement_delta(before, after, 1.0, at(0))
    assert delta is not None
    assert delta.total_plan_ms is None


def test_derive_uses_probe_collection_times_not_snapshot_times() -> None:
    first = snapshot(at(0), databases=(database(xact_commit=100),))
    second = snapshot(
        at(2),
        databases=(database(xact_commit=300),),
        probes=probes_ok(at(2), "databases"),
    )
    derived = derive(first, second)
    assert derived.interval_s == 2
    assert derived.rates_by_datid[16384].commits_per_s == 100


def test_derive_carries_rates_when_a_probe_was_not_polled_this_tick() -> None:
    first = derive(None, snapshot(at(0), databases=(database(xact_commit=100),)))
    second = derive(first, snapshot(at(2), databases=(database(xact_commit=300),)))
    third = snapshot(
        at(4),
        databases=second.databases,
        probes={"databases": second.probes["databases"]},  # carried: same collection time
    )
    assert derive(second, third).database_rates == second.database_rates


def test_derive_statement_deltas_and_global_reset() -> None:
    info = StatementsInfo.model_validate({"dealloc": 0, "stats_reset": at(-1000)})
    first = snapshot(at(0), statements=(statement(calls=10),), statements_info=info)
    second = snapshot(at(1), statements=(statement(calls=15),), statements_info=info)
    assert derive(first, second).delta_by_key[(10, 16384, 111, True)].calls == 5

    reset = StatementsInfo.model_validate({"dealloc": 0, "stats_reset": at(0.5)})
    third = snapshot(at(1), statements=(statement(calls=15),), statements_info=reset)
    assert derive(first, third).statement_deltas == ()


def test_first_snapshot_has_cumulative_ratio_only() -> None:
    derived = derive(None, snapshot(T0, databases=(database(),)))
    rates = derived.rates_by_datid[16384]
    assert rates.tps is None
    assert rates.cumulative_cache_hit_ratio == pytest.approx(0.9)


def test_an_unchanged_statement_keeps_its_all_zero_delta_object() -> None:
    quiet, planned = statement(queryid=1), statement(queryid=2)
    first = derive(None, snapshot(at(0), statements=(quiet, planned)))
    # queryid 2 was planned again without running: its delta is not all zero.
    replanned = statement(queryid=2, total_plan_ms=5.0)
    second = derive(first, snapshot(at(1), statements=(quiet, replanned)))
    third = derive(second, snapshot(at(3), statements=(quiet, replanned)))

    q, p = (10, 16384, 1, True), (10, 16384, 2, True)
    assert second.delta_by_key[q].calls == 0
    assert third.delta_by_key[q] is second.delta_by_key[q]  # the same row object: reused
    assert second.delta_by_key[p].total_plan_ms == 5.0
    assert third.delta_by_key[p].total_plan_ms == 0.0  # worked out again, not carried
    assert third.delta_by_key[p] is not second.delta_by_key[p]


def test_an_equal_but_new_statement_object_is_worked_out_again() -> None:
    first = derive(None, snapshot(at(0), statements=(statement(calls=10),)))
    second = derive(first, snapshot(at(1), statements=(statement(calls=10),)))
    third = derive(second, snapshot(at(2), statements=(statement(calls=14),)))
    key = (10, 16384, 111, True)
    assert second.delta_by_key[key].calls == 0
    assert third.delta_by_key[key].calls == 4
