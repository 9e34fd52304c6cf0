"""Index health findings: each kind, and what must not be reported."""

from __future__ import annotations

from typing import Any

from pgwatch_tui.core.act.shown_sql import finding_ddl
from pgwatch_tui.core.diagnose.index_health import Problem, index_findings
from pgwatch_tui.core.model.health_rows import ForeignKey, IndexBuild
from pgwatch_tui.core.sql_names import quote_ident
from tests.factories import T0, index


def plain(name: str, keys: list[int], oid: int, **over: Any) -> Any:
    values: dict[str, Any] = {
        "name": name,
        "indexrelid": oid,
        "key_columns": keys,
        "is_unique": False,
        "is_primary": False,
        "constraint_type": None,
        "idx_scan": 5,
        "opclasses": [1] * len(keys),
        "collations": [0] * len(keys),
        "options": [0] * len(keys),
    }
    return index(**(values | over))


def fk(columns: list[int], names: list[str]) -> ForeignKey:
    return ForeignKey.model_validate(
        {
            "constraint_oid": 99,
            "name": "orders_customer_fkey",
            "relid": 5000,
            "schema_name": "public",
            "table_name": "orders",
            "columns": columns,
            "column_names": names,
            "referenced_table": "customers",
        }
    )


def problems(findings: list[Any]) -> dict[str, Problem]:
    return {f.index_name or f.why: f.problem for f in findings}


def test_exact_duplicate_reports_the_newer_one() -> None:
    found = index_findings([plain("a", [2], 10), plain("b", [2], 11)], [], [], T0)
    assert problems(found) == {"b": Problem.DUPLICATE}
    assert "same definition as a" in found[0].why


def test_prefix_of_another_index_is_redundant() -> None:
    found = index_findings([plain("short", [2], 10), plain("long", [2, 3], 11)], [], [], T0)
    assert problems(found) == {"short": Problem.REDUNDANT}


def test_different_predicate_or_method_is_not_a_duplicate() -> None:
    found = index_findings(
        [
            plain("a", [2], 10),
            plain("b", [2], 11, predicate="(status = 'x'::text)"),
            plain("c", [2], 12, method="hash"),
        ],
        [],
        [],
        T0,
    )
    assert found == []


def test_unique_index_is_never_the_redundant_one() -> None:
    found = index_findings(
        [plain("u", [2], 10, is_unique=True, constraint_type="u"), plain("n", [2, 3], 11)],
        [],
        [],
        T0,
    )
    assert found == []


def test_unused_excludes_unique_and_constraint_indexes() -> None:
    found = index_findings(
        [
            plain("idle", [2], 10, idx_scan=0),
            plain("pk", [1], 11, idx_scan=0, is_unique=True, is_primary=True, constraint_type="p"),
        ],
        [],
        [],
        T0,
    )
    assert problems(found) == {"idle": Problem.UNUSED}
    assert "since 2026-11-22" in found[0].why


def test_invalid_leftover_of_a_concurrent_rebuild() -> None:
    found = index_findings([plain("orders_idx_ccnew", [2], 10, is_valid=False)], [], [], T0)
    assert found[0].problem is Problem.INVALID
    assert found[0].leftover
    assert "do not rebuild it" in found[0].why


def test_invalid_index_still_being_built_is_told_apart() -> None:
    build = IndexBuild.model_validate(
        {
            "pid": 77,
            "database": "shop",
            "relid": 5000,
            "index_relid": 10,
            "index_name": "orders_new_idx",
            "command": "CREATE INDEX CONCURRENTLY",
            "phase": "building index: scanning table",
            "lockers_total": 0,
            "lockers_done": 0,
            "current_locker_pid": None,
            "blocks_total": 100,
            "blocks_done": 40,
            "tuples_total": 0,
            "tuples_done": 0,
            "partitions_total": 0,
            "partitions_done": 0,
        }
    )
    found = index_findings([plain("orders_new_idx", [2], 10, is_valid=False)], [], [build], T0)
    assert found[0].problem is Problem.BUILDING
    assert "pid 77" in found[0].why
    assert "40/100 blocks" in found[0].why


def test_foreign_key_without_a_covering_index() -> None:
    found = index_findings([plain("other", [3], 10)], [fk([2], ["customer_id"])], [], T0)
    assert found[0].problem is Problem.MISSING_FK_INDEX
    assert found[0].columns == ["customer_id"]
    assert finding_ddl(found[0]) == (
        'CREATE INDEX CONCURRENTLY ON "public"."orders" ("customer_id");'
    )


def test_foreign_key_covered_by_leading_columns_in_any_order() -> None:
    covered = index_findings([plain("both", [3, 2, 4], 10)], [fk([2, 3], ["a", "b"])], [], T0)
    assert covered == []
    partial_only = index_findings(
        [plain("p", [2], 10, predicate="(x > 0)")], [fk([2], ["a"])], [], T0
    )
    assert [f.problem for f in partial_only] == [Problem.MISSING_FK_INDEX]


def test_most_urgent_first() -> None:
    found = index_findings(
        [plain("idle", [5], 10, idx_scan=0), plain("bad", [6], 11, is_valid=False)],
        [fk([2], ["c"])],
        [],
        T0,
    )
    assert [f.problem for f in found] == [
        Problem.INVALID,
        Problem.MISSING_FK_INDEX,
        Problem.UNUSED,
    ]


def test_drop_ddl_quotes_odd_names() -> None:
    found = index_findings([plain('we"ird Idx.1', [2], 10, idx_scan=0)], [], [], T0)
    assert finding_ddl(found[0]) == 'DROP INDEX CONCURRENTLY "public"."we""ird Idx.1";'


def test_display_quoting_matches_psycopg() -> None:
    from psycopg import sql

    for name in ['we"ird Idx.1', "UPPER", "sp ace", "dot.ted", "ünï", 'a""b', "select"]:
        assert quote_ident(name) == sql.Identifier(name).as_string(None)
