"""A copied snapshot (replay, derived rates, test variants) works out its figures again from
its own fields, never from the values cached on the snapshot it was copied from."""

from __future__ import annotations

from pathlib import Path

from pgwatch_tui.core.record.replay import load_snapshots

RECORDED = load_snapshots(Path(__file__).parents[1] / "fixtures" / "demo_snapshots.jsonl")


def test_a_copy_with_other_sessions_counts_its_own_sessions() -> None:
    original = RECORDED[-1]
    assert original.clients.listed > 0  # worked out and cached on the original
    emptied = original.model_copy(update={"sessions": ()})
    assert emptied.clients.listed == 0
    assert emptied.client_count == emptied.unlisted_idle_clients
    assert original.clients.listed > 0


def test_a_copy_with_other_rates_looks_them_up_in_its_own() -> None:
    original = RECORDED[-1]
    assert original.delta_by_key  # cached
    emptied = original.model_copy(update={"statement_deltas": ()})
    assert emptied.delta_by_key == {}


def test_a_copied_row_forgets_its_cached_key() -> None:
    statement = RECORDED[-1].statements[0]
    assert statement.key[2] == statement.queryid
    other = statement.model_copy(update={"queryid": statement.queryid + 1})
    assert other.key[2] == statement.queryid + 1
