"""Bloat estimates against hand-computed cases (8 kB pages)."""

from __future__ import annotations

from typing import Any

import pytest

from pgwatch_tui.core.model.bloat import (
    Columns,
    RelationKind,
    estimate_index,
    estimate_table,
    heap_tuple_bytes,
    index_tuple_bytes,
)
from pgwatch_tui.core.model.health_rows import IndexBloatInput, TableBloatInput


def table_input(**over: Any) -> TableBloatInput:
    values: dict[str, Any] = {
        "relid": 1,
        "schema_name": "public",
        "name": "t",
        "relpages": 10,
        "reltuples": 1000.0,
        "fillfactor": 100,
        "block_size": 8192,
        "widths": [4],
        "null_fracs": [0.0],
        "aligns": ["i"],
        "lengths": [4],
        "missing_stats": 0,
        "last_vacuum": None,
        "n_dead_tup": 0,
    }
    return TableBloatInput.model_validate(values | over)


def index_input(**over: Any) -> IndexBloatInput:
    values: dict[str, Any] = {
        "indexrelid": 2,
        "schema_name": "public",
        "name": "t_idx",
        "table_name": "t",
        "relpages": 275,
        "index_tuples": 100_000.0,
        "table_tuples": 100_000.0,
        "fillfactor": 90,
        "block_size": 8192,
        "is_unique": True,
        "key_count": 1,
        "column_count": 1,
        "is_partial": False,
        "can_deduplicate": True,
        "widths": [8],
        "null_fracs": [0.0],
        "n_distincts": [-1.0],
        "aligns": ["d"],
        "lengths": [8],
        "expressions": [False],
        "missing_stats": 0,
        "last_vacuum": None,
    }
    return IndexBloatInput.model_validate(values | over)


def test_heap_tuple_of_one_int4() -> None:
    # header 23 -> 24 aligned; int4 at 24 -> 28; MAXALIGN -> 32
    assert heap_tuple_bytes(Columns([4], [0.0], ["i"], [4])) == 32


def test_heap_tuple_with_nulls_and_a_short_varlena() -> None:
    # header 23 + 1 null-bitmap byte -> 24; int4 -> 28; text of 20 bytes half null: +10, no
    # alignment for a short varlena -> 38; MAXALIGN -> 40
    assert heap_tuple_bytes(Columns([4, 20], [0.0, 0.5], ["i", "i"], [4, -1])) == 40


def test_long_varlena_is_aligned() -> None:
    # 24 + int2 -> 26; a 200-byte text is int-aligned -> 28 + 200 = 228; MAXALIGN -> 232
    assert heap_tuple_bytes(Columns([2, 200], [0.0, 0.0], ["s", "i"], [2, -1])) == 232


def test_index_tuple_of_an_int8() -> None:
    assert index_tuple_bytes(Columns([8], [0.0], ["d"], [8])) == 16


def test_table_estimate() -> None:
    # 226 tuples of 32 + 4 bytes fit in 8168 bytes; 1000 rows need 5 pages of the 10 there are.
    estimate = estimate_table(table_input())
    assert estimate.expected_bytes == 5 * 8192
    assert estimate.wasted_bytes == 5 * 8192
    assert estimate.bloat_ratio == 0.5
    assert estimate.kind is RelationKind.TABLE


def test_table_fillfactor_leaves_room() -> None:
    # fillfactor 50: floor(4084 / 36) = 113 per page, 1000 rows -> 9 pages
    assert estimate_table(table_input(fillfactor=50)).expected_bytes == 9 * 8192


def test_table_without_statistics_is_not_available() -> None:
    assert estimate_table(table_input(reltuples=-1.0)).reason == "never vacuumed or analyzed"
    missing = estimate_table(table_input(missing_stats=1))
    assert missing.bloat_ratio is None
    assert missing.wasted_bytes is None
    assert missing.reason is not None
    assert "no column statistics" in missing.reason


def test_unique_btree_has_no_posting_lists() -> None:
    # 100 000 x (16 + 4) bytes = 2 000 000 over 7336.8 usable per leaf -> 273 leaves,
    # + the root (fan-out 285) + the metapage = 275
    estimate = estimate_index(index_input())
    assert estimate.expected_bytes == 275 * 8192
    assert estimate.wasted_bytes == 0
    assert not estimate.deduplicated


def test_low_cardinality_btree_is_priced_per_posting_list() -> None:
    # 10 keys x 10 000 rows: posting lists hold (812 - 16) // 6 = 132 heap pointers, so each key
    # takes 76 tuples of 20 bytes plus 60 000 bytes of pointers: 615 200 bytes -> 84 leaves,
    # + root + metapage = 86 pages. Pricing every row as a tuple would say 275.
    estimate = estimate_index(
        index_input(
            is_unique=False, n_distincts=[10.0], widths=[4], aligns=["i"], lengths=[4], relpages=86
        )
    )
    assert estimate.deduplicated
    assert estimate.expected_bytes == 86 * 8192
    assert estimate.wasted_bytes == 0


def test_deduplication_off_prices_every_row() -> None:
    estimate = estimate_index(
        index_input(
            is_unique=False,
            n_distincts=[10.0],
            widths=[4],
            aligns=["i"],
            lengths=[4],
            can_deduplicate=False,
        )
    )
    assert estimate.expected_bytes == 275 * 8192


def test_partial_index_uses_its_own_row_count() -> None:
    estimate = estimate_index(index_input(index_tuples=1000.0, is_partial=True, relpages=10))
    # 1000 x 20 bytes -> 3 leaves + metapage + root = 5
    assert estimate.expected_bytes == 5 * 8192
    assert estimate.bloat_ratio == pytest.approx(0.5)


def test_expression_statistics_lose_their_long_header() -> None:
    plain = estimate_index(index_input(is_unique=True, widths=[20], aligns=["i"], lengths=[-1]))
    expression = estimate_index(
        index_input(is_unique=True, widths=[23], aligns=["i"], lengths=[-1], expressions=[True])
    )
    assert plain.expected_bytes == expression.expected_bytes


def test_index_without_statistics_is_not_available() -> None:
    assert estimate_index(index_input(index_tuples=-1.0)).bloat_ratio is None
    assert estimate_index(index_input(missing_stats=1)).reason is not None
