"""Reading normalized SQL: parameters, what they are compared with, repairs."""

from __future__ import annotations

import pytest

from pgwatch_tui.core.diagnose.normalized_sql import (
    is_plannable,
    is_read_only_query,
    parameter_count,
    parameter_uses,
    referenced_tables,
    repair_normalized,
    strip_literals,
)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("SELECT 1", 0),
        ("SELECT $1 + $2", 2),
        ("SELECT * FROM t WHERE a = $3", 3),
        ("SELECT '$5' || $1", 1),  # inside a string
        ("SELECT $1 -- and $9 in a comment", 1),
        ("SELECT $body$ $7 $body$, $2", 2),  # dollar-quoted body
        ('SELECT "$4" FROM t', 0),  # quoted identifier
        ("SELECT $1 /* $3 */", 1),
    ],
)
def test_parameter_count_ignores_literals_and_comments(text: str, count: int) -> None:
    assert parameter_count(text) == count


def test_strip_keeps_lengths() -> None:
    text = "SELECT 'x' -- c\n, $1"
    assert len(strip_literals(text)) == len(text)


def test_uses_find_columns_on_both_sides_in_lists_between_any_and_limit() -> None:
    uses = parameter_uses(
        "SELECT * FROM orders o WHERE o.customer_id = $1 AND $2 < total AND status IN ($3, $4)"
        " AND created_at BETWEEN $5 AND $6 AND id = ANY($7) ORDER BY id LIMIT $8 OFFSET $9"
    )
    assert uses[1].columns == ["customer_id"]
    assert uses[2].columns == ["total"]
    assert uses[3].columns == uses[4].columns == ["status"]
    assert uses[5].columns == uses[6].columns == ["created_at"]
    assert uses[7].array_of == ["id"]
    assert uses[8].counts
    assert uses[9].counts


def test_uses_in_dml() -> None:
    uses = parameter_uses("INSERT INTO t (a, b, c) VALUES ($1, now(), $2)")
    assert uses[1].columns == ["a"]
    assert uses[2].columns == ["c"]
    update = parameter_uses("UPDATE t SET a = $1, b = $2 WHERE id = $3")
    assert [update[n].columns for n in (1, 2, 3)] == [["a"], ["b"], ["id"]]


def test_containment_and_key_operators_do_not_take_the_column_type() -> None:
    uses = parameter_uses("SELECT * FROM t WHERE during @> $1 AND profile ? $2 AND tags && $3")
    assert all(not use.columns for use in uses.values())


def test_cast_parameters_are_left_alone() -> None:
    assert parameter_uses("SELECT * FROM t WHERE day = $1::date") == {}


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("SELECT now() - interval $1", "SELECT now() - $1::interval"),
        ("SELECT date $1 + 1", "SELECT $1::date + 1"),
        ("SELECT extract($1 FROM created_at)", "SELECT date_part($1::text, created_at)"),
        ("SELECT timestamp with time zone $2", "SELECT $2::timestamp with time zone"),
        ("SELECT a FROM t WHERE a = $1", "SELECT a FROM t WHERE a = $1"),
    ],
)
def test_repair_what_normalization_broke(broken: str, repaired: str) -> None:
    assert repair_normalized(broken) == repaired


def test_referenced_tables() -> None:
    text = "SELECT * FROM public.orders o JOIN customers c ON c.id = o.cid WHERE x IN (SELECT 1)"
    assert referenced_tables(text) == ["public.orders", "customers"]
    assert referenced_tables("UPDATE t SET a = 1") == ["t"]
    assert referenced_tables("INSERT INTO s.t VALUES (1)") == ["s.t"]


def test_plannable_and_read_only() -> None:
    assert is_plannable("  (SELECT 1)")
    assert is_plannable("WITH x AS (SELECT 1) SELECT * FROM x")
    assert not is_plannable("VACUUM t")
    assert not is_plannable("BEGIN")
    assert is_read_only_query("SELECT * FROM t")
    assert not is_read_only_query("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")
    assert not is_read_only_query("UPDATE t SET a = 1")
    assert is_read_only_query("SELECT 'DELETE' FROM t")


def test_parameter_types_come_from_the_columns_they_are_compared_with() -> None:
    from pgwatch_tui.core.diagnose.parameters import ColumnType, inferred_types

    columns = {
        "a": ColumnType("a", "integer", "public", "t"),
        "b": ColumnType("b", "text", "public", "t"),
    }
    query = "SELECT * FROM t WHERE a = $1 AND b = ANY($2) AND $4 IS NULL LIMIT $3"
    assert inferred_types(query, 4, columns) == ["integer", "text[]", "bigint", None]
