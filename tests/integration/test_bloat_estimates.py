"""Bloat estimates on real tables and indexes: right when fresh, and finding real bloat.

The btree cases include low-cardinality deduplicated indexes, where estimators that ignore
posting lists report zero or negative bloat, a partial index, an expression index and an
index with INCLUDE columns.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

from pgwatch_tui.core.bloat import BloatEstimate, estimate_index, estimate_table
from pgwatch_tui.core.models_health import IndexBloatInput, TableBloatInput
from pgwatch_tui.core.querybook import QueryBook
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.pg_helpers import execute

BOOK = QueryBook()
SETUP = """
DROP TABLE IF EXISTS bloat_t;
CREATE TABLE bloat_t (id bigint PRIMARY KEY, status text NOT NULL, grp int, ts timestamptz,
                      email text, name text, note text, amount numeric(10, 2));
INSERT INTO bloat_t
SELECT g, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], g % 1000, now() - g * interval '1 s',
       'user' || g || '@example.com', 'customer ' || g,
       CASE WHEN g % 4 = 0 THEN NULL ELSE repeat('x', 30) END, g % 1000 + 0.5
  FROM generate_series(1, 200000) g;
CREATE INDEX bloat_status ON bloat_t (status);
CREATE INDEX bloat_grp ON bloat_t (grp);
CREATE INDEX bloat_ts ON bloat_t (ts);
CREATE INDEX bloat_email_name ON bloat_t (email, name);
CREATE UNIQUE INDEX bloat_email_u ON bloat_t (email);
CREATE INDEX bloat_lower ON bloat_t (lower(email));
CREATE INDEX bloat_incl ON bloat_t (grp) INCLUDE (amount);
CREATE INDEX bloat_note ON bloat_t (note);
CREATE INDEX bloat_partial ON bloat_t (ts) WHERE status = 'paid';
VACUUM ANALYZE bloat_t;
"""


def estimates(cluster: SandboxCluster) -> dict[str, BloatEstimate]:
    found: dict[str, BloatEstimate] = {}
    with psycopg.connect(cluster.conninfo(), row_factory=dict_row) as conn:
        for probe, model, estimate in (
            ("table_bloat", TableBloatInput, estimate_table),
            ("index_bloat", IndexBloatInput, estimate_index),
        ):
            chosen = BOOK.resolve(probe, server_major=conn.info.server_version // 10000)
            assert chosen is not None
            for row in conn.execute(chosen.sql.encode()).fetchall():
                result = estimate(model.model_validate(row))  # type: ignore[operator]
                if result.table_name == "bloat_t":
                    found[result.name] = result
    return found


@pytest.fixture(scope="module")
def fresh(cluster: SandboxCluster) -> dict[str, BloatEstimate]:
    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        for statement in SETUP.split(";"):
            if statement.strip():
                conn.execute(statement.encode())
    return estimates(cluster)


def test_fresh_relations_are_estimated_within_15_percent(
    fresh: dict[str, BloatEstimate],
) -> None:
    assert len(fresh) == 11  # the table and its ten indexes
    for name, estimate in fresh.items():
        assert estimate.expected_bytes is not None, name
        ratio = estimate.expected_bytes / estimate.size_bytes
        assert 0.85 <= ratio <= 1.15, f"{name}: expected/actual = {ratio:.2f}"
        assert estimate.bloat_ratio is not None
        assert estimate.bloat_ratio < 0.15, name


def test_low_cardinality_indexes_are_recognised_as_deduplicated(
    fresh: dict[str, BloatEstimate],
) -> None:
    assert fresh["bloat_status"].deduplicated
    assert fresh["bloat_grp"].deduplicated
    assert not fresh["bloat_email_u"].deduplicated
    assert not fresh["bloat_incl"].deduplicated  # INCLUDE columns rule deduplication out


def test_mass_delete_shows_as_bloat(
    cluster: SandboxCluster, fresh: dict[str, BloatEstimate]
) -> None:
    execute(cluster.conninfo(), "DELETE FROM bloat_t WHERE id % 10 < 7")
    execute(cluster.conninfo(), "VACUUM ANALYZE bloat_t")
    after = estimates(cluster)
    for name, estimate in after.items():
        assert estimate.bloat_ratio is not None
        assert estimate.bloat_ratio >= 0.5, f"{name}: {estimate.bloat_ratio:.2f}"
    assert after["bloat_status"].wasted_bytes is not None
    assert after["bloat_status"].wasted_bytes > 0.5 * after["bloat_status"].size_bytes


def test_never_analyzed_is_not_available(cluster: SandboxCluster) -> None:
    execute(cluster.conninfo(), "DROP TABLE IF EXISTS bloat_fresh")
    execute(cluster.conninfo(), "CREATE TABLE bloat_fresh (id int PRIMARY KEY, v text)")
    execute(
        cluster.conninfo(), "INSERT INTO bloat_fresh SELECT g, 'x' FROM generate_series(1, 100) g"
    )
    with psycopg.connect(cluster.conninfo(), row_factory=dict_row) as conn:
        chosen = BOOK.resolve("table_bloat", server_major=conn.info.server_version // 10000)
        assert chosen is not None
        rows = [
            r for r in conn.execute(chosen.sql.encode()).fetchall() if r["name"] == "bloat_fresh"
        ]
    estimate = estimate_table(TableBloatInput.model_validate(rows[0]))
    assert estimate.bloat_ratio is None
    assert estimate.reason is not None
