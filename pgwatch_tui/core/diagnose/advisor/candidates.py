"""Index candidates for one table, from what the workload's plans ask of it.

Equality columns first (most selective first), then one range or sort column with its
direction; an index on each join key (a foreign key used in a join); a partial index
`(the rest) WHERE col = constant` when that constant is rare (5 % of rows or fewer); and the
same keys with INCLUDE columns when that would let the scan read the index only.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgwatch_tui.core.diagnose.advisor.models import IndexShape
from pgwatch_tui.core.diagnose.advisor.predicates import Kind, SortKey, TableNeeds
from pgwatch_tui.core.diagnose.advisor.stats import TableStats

RARE_SHARE = 0.05  # a constant this rare or rarer deserves a partial index
DOMINANT_CALLS = 0.5  # ...when the statement asks for it at least this often
MAX_KEYS = 4
MAX_INCLUDE = 3
MAX_INCLUDE_WIDTH = 32  # bytes: wide columns make a covering index too big to pay


@dataclass(frozen=True)
class RareValue:
    """A value a statement compares a column with, and how rare it is."""

    column: str
    value: str
    share: float  # of the table's rows
    calls_share: float | None = 1.0  # of the statement's calls; None when unknown


def _selectivity_order(columns: list[str], table: TableStats) -> list[str]:
    def distinct(name: str) -> float:
        stats = table.columns.get(name)
        value = stats.distinct(table.reltuples) if stats else None
        return value if value is not None else 1.0

    return sorted(dict.fromkeys(columns), key=distinct, reverse=True)


def _tail(needs: TableNeeds, used: set[str]) -> list[SortKey]:
    """The sort the statement wants (when an index can give it), else its first range."""
    if needs.sort and all(k.column in needs.columns or k.column not in used for k in needs.sort):
        keys = [k for k in needs.sort if k.column not in used]
        if keys:
            return keys
    for predicate in needs.predicates:
        if predicate.kind is Kind.RANGE and predicate.column not in used:
            return [SortKey(predicate.column, False)]
    return []


def _shape(
    table: TableStats, keys: list[str], desc: list[bool], reason: str, **extra: object
) -> IndexShape:
    return IndexShape(
        schema_name=table.schema_name,
        table=table.name,
        keys=tuple(keys[:MAX_KEYS]),
        descending=tuple(desc[:MAX_KEYS]),
        reason=reason,
        **extra,  # type: ignore[arg-type]
    )


def candidates_for(
    needs: TableNeeds, table: TableStats, rare_values: list[RareValue]
) -> list[IndexShape]:
    """Every index shape worth trying for one statement's needs on `table`."""
    known = set(table.columns)
    equal = [
        p.column
        for p in needs.predicates
        if p.kind in (Kind.EQUALITY, Kind.IN_LIST) and p.column in known
    ]
    equal = _selectivity_order(equal, table)
    tail = [k for k in _tail(needs, set(equal)) if k.column in known]
    shapes = [
        *_filter_shapes(needs, table, equal, tail),
        *_join_shapes(needs, table),
        *_partial_shapes(table, equal, tail, rare_values),
    ]
    return list(dict.fromkeys(shapes))


def _filter_shapes(
    needs: TableNeeds, table: TableStats, equal: list[str], tail: list[SortKey]
) -> list[IndexShape]:
    """Equality columns, then the range or sort column; and its covering variant."""
    keys = equal + [k.column for k in tail]
    if not keys:
        return []
    desc = [False] * len(equal) + [k.descending for k in tail]
    what = "equality columns" if equal else "range or sort column"
    if equal and tail:
        what = "equality columns, then the range or sort column"
    shapes = [_shape(table, keys, desc, f"{what} of the filter")]
    known = table.columns
    wanted = [c for c in needs.outputs if c not in keys]
    include = [c for c in wanted if c in known and (known[c].avg_width or 999) <= MAX_INCLUDE_WIDTH]
    if 0 < len(include) <= MAX_INCLUDE and len(include) == len(wanted):
        shapes.append(
            _shape(table, keys, desc, "covering: an index-only scan", include=tuple(include))
        )
    return shapes


def _join_shapes(needs: TableNeeds, table: TableStats) -> list[IndexShape]:
    return [
        _shape(
            table,
            [predicate.column],
            [False],
            "join key: nested loops and foreign key checks use it",
        )
        for predicate in needs.predicates
        if predicate.kind is Kind.JOIN and predicate.column in table.columns
    ]


def _partial_shapes(
    table: TableStats, equal: list[str], tail: list[SortKey], rare_values: list[RareValue]
) -> list[IndexShape]:
    """An index over only the rows of a rare value that most calls ask for."""
    shapes = []
    for rare in rare_values:
        if rare.share > RARE_SHARE or rare.column not in equal:
            continue
        if rare.calls_share is not None and rare.calls_share < DOMINANT_CALLS:
            continue  # one value among many (a customer id): a partial index per value is no use
        rest = [c for c in equal if c != rare.column] + [k.column for k in tail]
        rest_desc = [False] * (len(equal) - 1) + [k.descending for k in tail]
        if not rest:
            rest, rest_desc = [rare.column], [False]
        shapes.append(
            _shape(
                table,
                rest,
                rest_desc,
                f"partial: only the {rare.share:.1%} of rows where {rare.column} = '{rare.value}'",
                predicate_column=rare.column,
                predicate_value=rare.value,
            )
        )
    return shapes


def why(shape: IndexShape, needs: TableNeeds | None) -> str:
    """What the index does for a statement, in a DBA's words (its own reason otherwise)."""
    if needs is None:
        return shape.reason
    kinds = {p.column: p.kind for p in needs.predicates}
    sorted_by = {k.column for k in needs.sort}
    parts = []
    for key in shape.keys:
        kind = kinds.get(key)
        if kind in (Kind.EQUALITY, Kind.IN_LIST):
            parts.append(f"finds rows by {key}")
        elif key in sorted_by:
            parts.append(
                f"returns them in {key} order (no sort{', stops early' if needs.limited else ''})"
            )
        elif kind is Kind.RANGE:
            parts.append(f"reads only the {key} range")
        elif kind is Kind.JOIN:
            parts.append(f"joins on {key}")
    if shape.partial:
        parts.append(f"holds only rows where {shape.predicate_column} = '{shape.predicate_value}'")
    if shape.include:
        parts.append("covers the columns returned (index-only scan)")
    return "; ".join(parts) if parts else shape.reason
