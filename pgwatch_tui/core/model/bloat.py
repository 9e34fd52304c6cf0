"""Bloat estimates for tables and btree indexes, from catalog statistics only.

An estimate compares the pages a relation has (pg_class.relpages) with the pages its rows would
need if freshly written, computed from row counts and pg_stats column widths. Nothing here
reads a relation's pages: exact figures come from pgstattuple, on demand only.

btree indexes on PostgreSQL 13+ deduplicate: equal keys share one "posting list" tuple that
holds many 6-byte heap pointers. Estimators that price every entry as a full index tuple
overestimate the need of low-cardinality indexes several times, and so report zero or negative
bloat for them. Here a deduplicating index is priced per distinct key: one key tuple per
posting list (a fresh build caps a posting list at 10% of a page) plus 6 bytes per row. A
partial index is priced on its own reltuples, not its table's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from pgwatch_tui.core.model.health_rows import IndexBloatInput, TableBloatInput

PAGE_HEADER = 24  # PageHeaderData
ITEM_ID = 4  # line pointer per tuple
MAXALIGN = 8
HEAP_TUPLE_HEADER = 23  # HeapTupleHeaderData, before alignment
INDEX_TUPLE_HEADER = 8  # IndexTupleData
INDEX_NULL_BITMAP = 4  # IndexAttributeBitMapData, only when the tuple has nulls
BTREE_SPECIAL = 16  # BTPageOpaqueData
HEAP_TID = 6  # ItemPointerData in a posting list
NONLEAF_FILLFACTOR = 70  # what a btree build leaves free in internal pages
SHORT_VARLENA = 127  # varlena values under this use a 1-byte header and no alignment
ALIGNMENT = {"c": 1, "s": 2, "i": 4, "d": 8}
VARLENA_SPREAD = 0.25  # variable-length values range over a quarter of their mean width


class RelationKind(StrEnum):
    TABLE = "table"
    INDEX = "index"


class BloatEstimate(BaseModel):
    """The Bloat pane's row: size, what a fresh copy would take, and the difference."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: RelationKind
    oid: int
    schema_name: str
    name: str
    table_name: str
    size_bytes: int
    expected_bytes: int | None
    wasted_bytes: int | None
    bloat_ratio: float | None
    reason: str | None = None  # why there is no estimate ("n/a")
    deduplicated: bool = False
    last_vacuum: datetime | None = None
    measured: bool = False  # replaced by an exact pgstattuple measurement


def align_up(value: float, alignment: int) -> float:
    return math.ceil(value / alignment) * alignment


@dataclass(frozen=True)
class Columns:
    """Per-column statistics of a tuple, in column order."""

    widths: list[int]
    null_fracs: list[float]
    aligns: list[str]
    lengths: list[int]

    def first(self, count: int) -> Columns:
        return Columns(
            self.widths[:count], self.null_fracs[:count], self.aligns[:count], self.lengths[:count]
        )

    def data_bytes(self, start: float) -> float:
        """Average end offset of the column data placed after `start`, aligned per type.

        Fixed-length values are aligned to their type; a varlena value is aligned only when
        it is long enough to need a 4-byte header (short ones have 1 byte and no padding).
        """
        offset = start
        for width, null_frac, align, length in zip(
            self.widths, self.null_fracs, self.aligns, self.lengths, strict=False
        ):
            if null_frac >= 1:
                continue
            if length > 0 or (length == -1 and width >= SHORT_VARLENA):
                offset = align_up(offset, ALIGNMENT.get(align, 1))
            offset += width * (1 - null_frac)
        return offset

    @property
    def has_nulls(self) -> bool:
        return any(f > 0 for f in self.null_fracs)

    @property
    def spread(self) -> float:
        """How far tuple sizes range around their mean, in bytes (an assumption: pg_stats
        gives mean widths only; variable-length values are taken to vary by ±12.5 %)."""
        return sum(
            w * (1 - f) * VARLENA_SPREAD
            for w, f, n in zip(self.widths, self.null_fracs, self.lengths, strict=False)
            if n == -1
        )


def tuple_end(columns: Columns, data_end: float) -> float:
    """A tuple's size rounded up to MAXALIGN, averaged over the sizes tuples really have.

    Rounding the mean size is wrong when sizes straddle an alignment boundary: tuples of 36 to
    44 bytes take 40 or 48, 44 on average, where rounding their 40-byte mean says 40.
    """
    spread = columns.spread
    if spread < 1:
        return align_up(data_end, MAXALIGN)
    samples = [data_end - spread / 2 + spread * (i + 0.5) / 16 for i in range(16)]
    return sum(align_up(x, MAXALIGN) for x in samples) / len(samples)


def heap_tuple_bytes(columns: Columns) -> float:
    """Average stored size of a heap tuple, header and alignment included."""
    header = HEAP_TUPLE_HEADER + (math.ceil(len(columns.widths) / 8) if columns.has_nulls else 0)
    return tuple_end(columns, columns.data_bytes(align_up(header, MAXALIGN)))


def index_tuple_bytes(columns: Columns) -> float:
    """Average size of a plain (non-posting) btree tuple."""
    header = INDEX_TUPLE_HEADER + (INDEX_NULL_BITMAP if columns.has_nulls else 0)
    return tuple_end(columns, columns.data_bytes(align_up(header, MAXALIGN)))


def _not_available(
    row: TableBloatInput | IndexBloatInput, kind: RelationKind, reason: str, table: str
) -> BloatEstimate:
    return BloatEstimate(
        kind=kind,
        oid=row.relid if isinstance(row, TableBloatInput) else row.indexrelid,
        schema_name=row.schema_name,
        name=row.name,
        table_name=table,
        size_bytes=row.relpages * row.block_size,
        expected_bytes=None,
        wasted_bytes=None,
        bloat_ratio=None,
        reason=reason,
        last_vacuum=row.last_vacuum,
    )


def _result(size_pages: int, expected_pages: int, block_size: int) -> tuple[int, int, float]:
    wasted_pages = max(size_pages - expected_pages, 0)
    ratio = wasted_pages / size_pages if size_pages else 0.0
    return expected_pages * block_size, wasted_pages * block_size, ratio


def estimate_table(row: TableBloatInput) -> BloatEstimate:
    """Estimate of a heap's bloat; n/a without row counts or column statistics."""
    if row.reltuples < 0:
        return _not_available(row, RelationKind.TABLE, "never vacuumed or analyzed", row.name)
    if row.missing_stats:
        return _not_available(
            row, RelationKind.TABLE, "no column statistics (ANALYZE, or no SELECT right)", row.name
        )
    tuple_bytes = heap_tuple_bytes(Columns(row.widths, row.null_fracs, row.aligns, row.lengths))
    usable = (row.block_size - PAGE_HEADER) * row.fillfactor / 100
    per_page = max(1, math.floor(usable / (tuple_bytes + ITEM_ID)))
    expected_pages = math.ceil(row.reltuples / per_page) if row.reltuples > 0 else 0
    expected, wasted, ratio = _result(row.relpages, expected_pages, row.block_size)
    return BloatEstimate(
        kind=RelationKind.TABLE,
        oid=row.relid,
        schema_name=row.schema_name,
        name=row.name,
        table_name=row.name,
        size_bytes=row.relpages * row.block_size,
        expected_bytes=expected,
        wasted_bytes=wasted,
        bloat_ratio=ratio,
        last_vacuum=row.last_vacuum,
    )


def _index_columns(row: IndexBloatInput) -> Columns:
    # ANALYZE measures an expression's values as computed, with a 4-byte varlena header; the
    # index stores short ones with a 1-byte header.
    widths = [
        width - 3 if expression and length == -1 and width < SHORT_VARLENA + 3 else width
        for width, length, expression in zip(row.widths, row.lengths, row.expressions, strict=False)
    ]
    return Columns(widths, row.null_fracs, row.aligns, row.lengths)


def distinct_keys(row: IndexBloatInput) -> float:
    """How many distinct key values the index holds, from pg_stats n_distinct."""
    if row.is_unique:
        return max(row.index_tuples, 1.0)
    product = 1.0
    for n_distinct, null_frac in zip(
        row.n_distincts[: row.key_count], row.null_fracs[: row.key_count], strict=False
    ):
        values = -n_distinct * row.table_tuples if n_distinct < 0 else n_distinct
        product *= max(values, 1.0) + (1 if null_frac > 0 else 0)  # NULL is a key of its own
    return min(max(product, 1.0), max(row.index_tuples, 1.0))


def leaf_bytes(row: IndexBloatInput) -> float:
    """Bytes the leaf level needs, with deduplication modelled when the index can use it."""
    tuples = max(row.index_tuples, 0.0)
    plain = index_tuple_bytes(_index_columns(row))
    if not row.can_deduplicate or row.is_unique:
        return tuples * (plain + ITEM_ID)
    keys = distinct_keys(row)
    per_key = tuples / keys
    if per_key <= 1.5:
        return tuples * (plain + ITEM_ID)
    max_posting = (row.block_size * 10 // 100) // MAXALIGN * MAXALIGN - ITEM_ID
    tids_per_posting = max(1, math.floor((max_posting - plain) / HEAP_TID))
    postings_per_key = math.ceil(per_key / tids_per_posting)
    return keys * (postings_per_key * (plain + ITEM_ID) + per_key * HEAP_TID)


def estimate_index(row: IndexBloatInput) -> BloatEstimate:
    """Estimate of a btree index's bloat (deduplication-aware); n/a without statistics."""
    if row.index_tuples < 0 or row.table_tuples < 0:
        return _not_available(row, RelationKind.INDEX, "never vacuumed or analyzed", row.table_name)
    if row.missing_stats:
        return _not_available(
            row,
            RelationKind.INDEX,
            "no column statistics (ANALYZE, or no SELECT right)",
            row.table_name,
        )
    usable_leaf = (row.block_size - PAGE_HEADER - BTREE_SPECIAL) * row.fillfactor / 100
    leaf_pages = math.ceil(leaf_bytes(row) / usable_leaf) if row.index_tuples > 0 else 1
    pivot = index_tuple_bytes(_index_columns(row).first(row.key_count))
    usable_inner = (row.block_size - PAGE_HEADER - BTREE_SPECIAL) * NONLEAF_FILLFACTOR / 100
    fanout = max(2, math.floor(usable_inner / (pivot + ITEM_ID)))
    pages, level = leaf_pages + 1, leaf_pages  # +1: the metapage
    while level > 1:
        level = math.ceil(level / fanout)
        pages += level
    expected, wasted, ratio = _result(row.relpages, pages, row.block_size)
    deduplicated = row.can_deduplicate and not row.is_unique
    return BloatEstimate(
        kind=RelationKind.INDEX,
        oid=row.indexrelid,
        schema_name=row.schema_name,
        name=row.name,
        table_name=row.table_name,
        size_bytes=row.relpages * row.block_size,
        expected_bytes=expected,
        wasted_bytes=wasted,
        bloat_ratio=ratio,
        deduplicated=deduplicated,
        last_vacuum=row.last_vacuum,
    )
