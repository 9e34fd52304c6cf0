"""What the parameters of a normalized statement are: their types, from the columns they are
compared with, and real values to plan with, from those columns' statistics (pg_stats)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from pgwatch_tui.core.collect.connection import Conn
from pgwatch_tui.core.diagnose.normalized_sql import parameter_uses, referenced_tables

TYPICAL_COUNT = "100"  # a LIMIT / OFFSET value for custom plans


@dataclass(frozen=True)
class ColumnType:
    column_name: str
    data_type: str
    schema_name: str
    table_name: str


async def column_types(conn: Conn, statement: LiteralString, query: str) -> dict[str, ColumnType]:
    """The columns of the tables `query` names, by column name (the first table wins)."""
    tables = referenced_tables(query)
    if not tables:
        return {}
    async with conn.transaction():
        cur = await conn.execute(statement, {"tables": tables})
        rows = await cur.fetchall()
    found: dict[str, ColumnType] = {}
    for row in rows:
        column = ColumnType(**row)
        found.setdefault(column.column_name, column)  # the first table named wins
    return found


def inferred_types(query: str, count: int, columns: dict[str, ColumnType]) -> list[str | None]:
    uses = parameter_uses(query)
    types: list[str | None] = [None] * count
    for number in range(1, count + 1):
        use = uses.get(number)
        if use is None:
            continue
        if use.counts:
            types[number - 1] = "bigint"
        elif known := [columns[c].data_type for c in use.columns if c in columns]:
            types[number - 1] = known[0]
        elif arrays := [columns[c].data_type for c in use.array_of if c in columns]:
            types[number - 1] = f"{arrays[0]}[]"
    return types


async def column_values(
    conn: Conn, statement: LiteralString, column: ColumnType
) -> dict[str, Any] | None:
    """pg_stats of one column: common values and frequencies, a typical value."""
    async with conn.transaction():
        cur = await conn.execute(
            statement,
            {
                "schema_name": column.schema_name,
                "table_name": column.table_name,
                "column_name": column.column_name,
            },
        )
        row = await cur.fetchone()
    return dict(row) if row is not None else None


async def typical_values(
    conn: Conn, statement: LiteralString, query: str, count: int, columns: dict[str, ColumnType]
) -> tuple[list[str | None], tuple[int, list[str], list[float]] | None]:
    """A typical value per parameter, and the first parameter on a skewed column."""
    uses = parameter_uses(query)
    typical: list[str | None] = [None] * count
    skewed: tuple[int, list[str], list[float]] | None = None
    for number in range(1, count + 1):
        use = uses.get(number)
        if use is None:
            continue
        if use.counts:
            typical[number - 1] = TYPICAL_COUNT
            continue
        column = next((columns[c] for c in use.columns if c in columns), None)
        stats = await column_values(conn, statement, column) if column else None
        if not stats:
            continue
        values, freqs = stats["common_values"] or [], stats["common_freqs"] or []
        typical[number - 1] = stats["typical_value"] or (values[0] if values else None)
        if skewed is None and len(values) >= 2 and freqs[0] >= 10 * freqs[-1]:
            skewed = (number - 1, values, freqs)
    return typical, skewed
