"""Bloat estimates on real tables and indexes: right when fresh, and finding real bloat.

The btree cases include low-cardinality deduplicated indexes, where estimators that ignore
posting lists report zero or negative bloat, a partial index, an expression index and an
index with INCLUDE columns.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

from pgwatch_tui.core.model.bloat import BloatEstimate, estimate_table
from pgwatch_tui.core.model.health_rows import TableBloatInput
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.pg_helpers import execute
from tests.server_checks import BOOK, SETUP, estimates


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
