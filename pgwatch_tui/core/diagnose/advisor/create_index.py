"""CREATE INDEX statements for suggestions, composed with psycopg.sql (never by splicing)."""

from __future__ import annotations

import re

from psycopg import sql

from pgwatch_tui.core.diagnose.advisor.models import IndexShape

MAX_NAME = 63  # PostgreSQL's identifier length (NAMEDATALEN - 1)


def index_name(shape: IndexShape, taken: set[str]) -> str:
    """orders_customer_id_created_at_idx, a _partial suffix, unique among `taken` names."""
    words = [shape.table, *shape.keys]
    if shape.partial and shape.predicate_column:
        words += [shape.predicate_column, re.sub(r"\W+", "_", shape.predicate_value or "")]
    base = re.sub(r"_+", "_", "_".join(words).lower()).strip("_")
    suffix = "_idx"
    name = base[: MAX_NAME - len(suffix)] + suffix
    counter = 1
    while name in taken:
        tail = f"{suffix}{counter}"
        name = base[: MAX_NAME - len(tail)] + tail
        counter += 1
    return name


def create_index(
    shape: IndexShape, name: str, predicate_type: str | None, *, concurrently: bool
) -> sql.Composed:
    """The statement that builds the index; `predicate_type` casts the partial constant."""
    keys = sql.SQL(", ").join(
        sql.SQL("{} DESC").format(sql.Identifier(k)) if desc else sql.Identifier(k)
        for k, desc in zip(shape.keys, shape.descending or (False,) * len(shape.keys), strict=True)
    )
    statement = sql.SQL("CREATE INDEX {concurrently}{name} ON {table} ({keys})").format(
        concurrently=sql.SQL("CONCURRENTLY ") if concurrently else sql.SQL(""),
        name=sql.Identifier(name),
        table=sql.Identifier(shape.schema_name, shape.table),
        keys=keys,
    )
    if shape.include:
        statement += sql.SQL(" INCLUDE ({})").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in shape.include)
        )
    if shape.predicate_column is not None and shape.predicate_value is not None:
        value: sql.Composable = sql.Literal(shape.predicate_value)
        if predicate_type:
            # A catalog type name (format_type), so the constant compares like the column.
            value = sql.SQL("{}::{}").format(value, sql.SQL(predicate_type))
        statement += sql.SQL(" WHERE {} = {}").format(sql.Identifier(shape.predicate_column), value)
    return statement
