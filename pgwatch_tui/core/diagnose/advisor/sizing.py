"""How big a suggested index would be, with btree deduplication accounted for.

The same model as the bloat estimate (core/bloat.py): a freshly built btree with posting lists
for repeated keys. HypoPG's own estimate prices every row as a full index tuple and overstates
low-cardinality indexes several times on PostgreSQL 13 and later.
"""

from __future__ import annotations

from pgwatch_tui.core.diagnose.advisor.models import IndexShape
from pgwatch_tui.core.diagnose.advisor.stats import TableStats
from pgwatch_tui.core.model.bloat import estimate_index
from pgwatch_tui.core.model.health_rows import IndexBloatInput

BTREE_FILLFACTOR = 90


def index_rows(shape: IndexShape, table: TableStats) -> float:
    """Rows the index holds: all of them, or the predicate's share for a partial index."""
    if shape.predicate_column is None or shape.predicate_value is None:
        return max(table.reltuples, 0.0)
    column = table.columns.get(shape.predicate_column)
    share = column.frequency(shape.predicate_value) if column else None
    return max(table.reltuples, 0.0) * (share if share is not None else 0.01)


def estimated_size(shape: IndexShape, table: TableStats) -> int | None:
    """Bytes of the built index, or None when a column lacks statistics."""
    columns = [table.columns.get(name) for name in (*shape.keys, *shape.include)]
    if any(c is None or c.avg_width is None for c in columns):
        return None
    known = [c for c in columns if c is not None]
    rows = index_rows(shape, table)
    scale = rows / table.reltuples if table.reltuples > 0 else 1.0
    n_distincts = []
    for c in known[: len(shape.keys)]:
        distinct = c.distinct(table.reltuples) or 1.0
        # A partial index sees only part of the values: at most its rows, at most as many.
        n_distincts.append(max(min(distinct, rows), 1.0) if scale < 1 else distinct)
    n_distincts += [-1.0] * len(shape.include)
    estimate = estimate_index(
        IndexBloatInput(
            indexrelid=0,
            schema_name=table.schema_name,
            name="candidate",
            table_name=table.name,
            relpages=0,
            index_tuples=rows,
            table_tuples=rows,
            fillfactor=BTREE_FILLFACTOR,
            block_size=table.block_size,
            is_unique=False,
            key_count=len(shape.keys),
            column_count=len(shape.keys) + len(shape.include),
            is_partial=shape.partial,
            can_deduplicate=not shape.include and all(c.dedup_capable for c in known),
            widths=[c.avg_width or 0 for c in known],
            null_fracs=[c.null_frac or 0.0 for c in known],
            n_distincts=n_distincts,
            aligns=[c.align for c in known],
            lengths=[c.length for c in known],
            expressions=[False] * len(known),
            missing_stats=0,
            last_vacuum=None,
        )
    )
    return estimate.expected_bytes
