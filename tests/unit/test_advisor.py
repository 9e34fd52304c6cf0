"""Index advice without a server: reading a plan's needs, candidate shapes, sizes, names,
statements and the write cost of an index."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pgwatch_tui.core.diagnose.advisor.candidates import RareValue, candidates_for, why
from pgwatch_tui.core.diagnose.advisor.create_index import MAX_NAME, create_index, index_name
from pgwatch_tui.core.diagnose.advisor.models import IndexShape
from pgwatch_tui.core.diagnose.advisor.predicates import (
    Kind,
    Predicate,
    SortKey,
    TableNeeds,
    parse_clause,
    parse_join,
    split_and,
    table_needs,
)
from pgwatch_tui.core.diagnose.advisor.sizing import estimated_size, index_rows
from pgwatch_tui.core.diagnose.advisor.stats import ColumnStats, TableStats
from pgwatch_tui.core.diagnose.advisor.workload import covered_by, penalty, unquote_constant
from pgwatch_tui.core.diagnose.plan import parse_plan

ROWS = 400_000.0


def column(name: str, n_distinct: float, width: int = 4, **extra: Any) -> ColumnStats:
    return ColumnStats(
        name=name,
        attnum=1,
        data_type="integer",
        avg_width=width,
        null_frac=0.0,
        n_distinct=n_distinct,
        align="i",
        length=4,
        dedup_capable=True,
        **extra,
    )


ORDERS = TableStats(
    schema_name="public",
    name="orders",
    reltuples=ROWS,
    relpages=5000,
    block_size=8192,
    inserts_per_s=10.0,
    updates_per_s=50.0,
    hot_updates_per_s=40.0,
    deletes_per_s=0.0,
    index_count=1,
    columns={
        "id": column("id", -1.0, 8),
        "customer_id": column("customer_id", 20_000.0),
        "region": column("region", 20.0),
        "created_at": column("created_at", -0.9, 8),
        "status": column(
            "status",
            4.0,
            8,
            common_values=["shipped", "delivered", "cancelled", "failed"],
            common_freqs=[0.6, 0.38, 0.015, 0.005],
        ),
        "note": column("note", -1.0, 200),
    },
)


# ---- reading a plan ------------------------------------------------------------------------


def test_split_and_keeps_quoted_and_nested_ands_together() -> None:
    assert split_and("((a = 1) AND (b = 'x AND y') AND ((c > 2) OR (d < 3)))") == [
        "(a = 1)",
        "(b = 'x AND y')",
        "((c > 2) OR (d < 3))",
    ]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("(o.customer_id = $1)", Predicate("customer_id", Kind.EQUALITY, "=", parameter=1)),
        (
            "((o.status)::text = 'it''s'::text)",
            Predicate("status", Kind.EQUALITY, "=", constant="it's"),
        ),
        ("(created_at >= $2)", Predicate("created_at", Kind.RANGE, ">=", parameter=2)),
        ("(id = ANY ($3))", Predicate("id", Kind.IN_LIST, "= ANY", parameter=3)),
        ("(note IS NULL)", Predicate("note", Kind.EQUALITY, "IS NULL")),
        ('("Odd Col" = 5)', Predicate("Odd Col", Kind.EQUALITY, "=", constant="5")),
    ],
)
def test_parse_clause(clause: str, expected: Predicate) -> None:
    assert parse_clause(clause, {"o", "orders"}) == expected


@pytest.mark.parametrize(
    "clause",
    [
        "(status <> 'x'::text)",  # a btree cannot serve <>
        "(c.id = $1)",  # another table's column
        "(lower(note) = 'x'::text)",  # an expression, not a column
        "(o.customer_id = o.id)",  # two columns of the same row
    ],
)
def test_clauses_an_index_on_a_column_cannot_serve(clause: str) -> None:
    assert parse_clause(clause, {"o", "orders"}) is None


def test_parse_join_finds_our_side_whichever_side_it_is_on() -> None:
    assert parse_join("(c.id = o.customer_id)", {"o"}) == Predicate("customer_id", Kind.JOIN, "=")
    assert parse_join("(o.customer_id = c.id)", {"o"}) == Predicate("customer_id", Kind.JOIN, "=")
    assert parse_join("(c.id = c.parent)", {"o"}) is None


def _node(node_type: str, cost: float, **fields: Any) -> dict[str, Any]:
    return {
        "Node Type": node_type,
        "Startup Cost": 0.0,
        "Total Cost": cost,
        "Plan Rows": 10,
        "Plan Width": 8,
        **fields,
    }


def test_table_needs_reads_filters_sort_limit_and_join() -> None:
    scan = _node(
        "Seq Scan",
        800.0,
        **{
            "Relation Name": "orders",
            "Schema": "public",
            "Alias": "o",
            "Filter": "((o.region = $1) AND ((o.status)::text = 'failed'::text))",
            "Output": ["o.id", "o.created_at"],
        },
    )
    customers = _node("Index Scan", 5.0, **{"Relation Name": "customers", "Alias": "c"})
    join = _node(
        "Hash Join", 900.0, **{"Hash Cond": "(c.id = o.customer_id)", "Plans": [scan, customers]}
    )
    sort = _node("Sort", 950.0, **{"Sort Key": ["o.created_at DESC"], "Plans": [join]})
    plan = parse_plan([{"Plan": _node("Limit", 1000.0, Plans=[sort])}])
    needs = table_needs(plan, "public.orders")
    assert needs is not None
    assert [(p.column, p.kind) for p in needs.predicates] == [
        ("region", Kind.EQUALITY),
        ("status", Kind.EQUALITY),
        ("customer_id", Kind.JOIN),
    ]
    assert needs.sort == [SortKey("created_at", True)]
    assert needs.limited
    assert needs.outputs == ["id", "created_at"]
    assert needs.scan_cost_share == pytest.approx(0.8)
    assert table_needs(plan, "public.products") is None


def test_a_sort_on_an_expression_wants_no_index_order() -> None:
    scan = _node("Seq Scan", 800.0, **{"Relation Name": "orders", "Alias": "orders"})
    sort = _node("Sort", 950.0, **{"Sort Key": ["(total * 2)"], "Plans": [scan]})
    needs = table_needs(parse_plan({"Plan": sort}), "orders")
    assert needs is not None
    assert needs.sort == []


# ---- candidates ----------------------------------------------------------------------------


def needs(*predicates: Predicate, sort: list[SortKey] | None = None, **extra: Any) -> TableNeeds:
    return TableNeeds("public.orders", list(predicates), sort or [], **extra)


def eq(name: str) -> Predicate:
    return Predicate(name, Kind.EQUALITY, "=", parameter=1)


def test_equality_columns_most_selective_first_then_the_sort() -> None:
    shapes = candidates_for(
        needs(eq("region"), eq("customer_id"), sort=[SortKey("created_at", True)], limited=True),
        ORDERS,
        [],
    )
    first = shapes[0]
    assert first.keys == ("customer_id", "region", "created_at")
    assert first.descending == (False, False, True)
    assert "customer_id" in why(first, needs(eq("customer_id"), eq("region")))


def test_covering_variant_only_when_every_output_fits() -> None:
    narrow = candidates_for(needs(eq("customer_id"), outputs=["id"]), ORDERS, [])
    assert [s.include for s in narrow] == [(), ("id",)]
    wide = candidates_for(needs(eq("customer_id"), outputs=["id", "note"]), ORDERS, [])
    assert [s.include for s in wide] == [()]


def test_join_key_gets_its_own_index() -> None:
    shapes = candidates_for(needs(Predicate("customer_id", Kind.JOIN, "=")), ORDERS, [])
    assert [s.keys for s in shapes] == [("customer_id",)]
    assert why(shapes[0], needs(Predicate("customer_id", Kind.JOIN, "="))) == "joins on customer_id"


def test_rare_dominant_constant_gives_a_partial_index() -> None:
    wanted = needs(eq("status"), sort=[SortKey("created_at", False)], limited=True)
    shapes = candidates_for(wanted, ORDERS, [RareValue("status", "failed", 0.005, 1.0)])
    partial = [s for s in shapes if s.partial]
    assert len(partial) == 1
    assert partial[0].keys == ("created_at",)
    assert (partial[0].predicate_column, partial[0].predicate_value) == ("status", "failed")
    assert partial[0].describe() == "(created_at) WHERE status = 'failed'"
    assert "holds only rows where status = 'failed'" in why(partial[0], wanted)


@pytest.mark.parametrize(
    "rare",
    [
        RareValue("status", "cancelled", 0.06, 1.0),  # not rare enough
        RareValue("status", "failed", 0.005, 0.1),  # one value among many the statement asks
        RareValue("region", "north", 0.001, 1.0),  # not an equality column of this statement
    ],
)
def test_no_partial_index_otherwise(rare: RareValue) -> None:
    assert not any(s.partial for s in candidates_for(needs(eq("status")), ORDERS, [rare]))


def test_unknown_columns_are_never_suggested() -> None:
    assert candidates_for(needs(eq("no_such_column")), ORDERS, []) == []


# ---- statistics and sizes ------------------------------------------------------------------


def test_frequency_from_common_values_or_the_rest() -> None:
    status = ORDERS.columns["status"]
    assert status.frequency("failed") == 0.005
    customer = ORDERS.columns["customer_id"]
    assert customer.frequency("42") == pytest.approx(1 / 20_000)
    assert ORDERS.columns["id"].distinct(ROWS) == ROWS


def shape(*keys: str, **extra: Any) -> IndexShape:
    return IndexShape(schema_name="public", table="orders", keys=keys, **extra)


def test_partial_index_holds_only_its_share_of_rows() -> None:
    partial = shape("created_at", predicate_column="status", predicate_value="failed")
    assert index_rows(partial, ORDERS) == pytest.approx(ROWS * 0.005)
    full = estimated_size(shape("status", "created_at"), ORDERS)
    small = estimated_size(partial, ORDERS)
    assert full is not None
    assert small is not None
    assert small * 100 < full


def test_deduplication_makes_repeated_keys_smaller() -> None:
    repeated = estimated_size(shape("region"), ORDERS)
    unique = estimated_size(shape("id"), ORDERS)
    assert repeated is not None
    assert unique is not None
    assert repeated < 0.5 * unique  # 20 distinct 4-byte keys vs 400k distinct 8-byte keys


def test_no_size_without_statistics() -> None:
    never_analyzed = replace(column("x", 10.0), avg_width=None, n_distinct=None)
    table = replace(ORDERS, columns={**ORDERS.columns, "x": never_analyzed})
    assert estimated_size(shape("x"), table) is None


# ---- names and statements ------------------------------------------------------------------


def test_index_names_are_unique_and_fit_in_63_bytes() -> None:
    assert index_name(shape("customer_id"), set()) == "orders_customer_id_idx"
    assert index_name(shape("customer_id"), {"orders_customer_id_idx"}) == (
        "orders_customer_id_idx1"
    )
    partial = shape("created_at", predicate_column="status", predicate_value="not yet!")
    assert index_name(partial, set()) == "orders_created_at_status_not_yet_idx"
    long = shape(*(f"column_with_a_long_name_{i}" for i in range(4)))
    assert len(index_name(long, set())) == MAX_NAME


def test_create_index_quotes_identifiers_and_binds_the_constant() -> None:
    odd = IndexShape(
        schema_name="Sales",
        table='we"ird',
        keys=("Customer Id", "created_at"),
        descending=(False, True),
        predicate_column="status",
        predicate_value="it's",
    )
    text = create_index(odd, "weird_idx", "text", concurrently=True).as_string(None)
    assert text == (
        'CREATE INDEX CONCURRENTLY "weird_idx" ON "Sales"."we""ird" ("Customer Id", '
        "\"created_at\" DESC) WHERE \"status\" = 'it''s'::text"
    )
    covering = shape("customer_id", include=("id", "total"))
    assert create_index(covering, "c_idx", None, concurrently=False).as_string(None) == (
        'CREATE INDEX "c_idx" ON "public"."orders" ("customer_id") INCLUDE ("id", "total")'
    )


# ---- the workload --------------------------------------------------------------------------


def test_indexing_an_updated_column_warns_that_hot_updates_stop() -> None:
    cost, warnings = penalty(shape("status"), ORDERS, {"status"})
    untouched_cost, none = penalty(shape("customer_id"), ORDERS, {"status"})
    assert none == []
    assert cost > untouched_cost
    assert len(warnings) == 1
    assert "UPDATEs change status" in warnings[0]
    assert "40.0 updates/s are HOT" in warnings[0]
    assert "80.0 more index writes/s" in warnings[0]  # 40/s x (1 existing + 1 new) indexes


def test_partial_index_pays_only_for_its_rows() -> None:
    full, _ = penalty(shape("created_at"), ORDERS, set())
    partial, _ = penalty(
        shape("created_at", predicate_column="status", predicate_value="failed"), ORDERS, set()
    )
    assert partial == pytest.approx(full * 0.005)


def test_covered_by_an_existing_index_with_the_same_leading_keys() -> None:
    existing = [
        {
            "name": "orders_c_r",
            "method": "btree",
            "keys": ["customer_id", "region"],
            "predicate": None,
        },
        {"name": "orders_hash", "method": "hash", "keys": ["region"], "predicate": None},
    ]
    assert covered_by(shape("customer_id"), existing) == "orders_c_r"
    assert covered_by(shape("region"), existing) is None
    assert covered_by(shape("customer_id", include=("id",)), existing) is None


@pytest.mark.parametrize(
    ("shown", "value"),
    [("'pending'::text", "pending"), ("'it''s'::character varying", "it's"), ("42", "42")],
)
def test_unquote_constant(shown: str, value: str) -> None:
    assert unquote_constant(shown) == value
