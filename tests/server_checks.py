"""Checks shared by the integration tests on the main server and the version matrix: run a
probe's SQL and check its rows against the model, estimate bloat on a known table."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from pgwatch_tui.core.collect.probes import PROBES, PollContext
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.model.bloat import BloatEstimate, estimate_index, estimate_table
from pgwatch_tui.core.model.health_rows import IndexBloatInput, TableBloatInput
from pgwatch_tui.core.model.rows import ServerSettings
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests import factories

BOOK = QueryBook()
SETTINGS = Settings()
PARAMS: dict[str, dict[str, Any]] = {
    "statement_texts": {"queryids": [1, 2, 3], "text_max": 1000},
}


def run_probe(conninfo: str, probe: str, sql_text: str) -> list[dict[str, Any]]:
    spec = PROBES[probe]
    context = PollContext(pid=1)
    params = (
        spec.params(SETTINGS, context, factories.server()) if spec.params else PARAMS.get(probe)
    )
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        conn.read_only = True
        with conn.transaction():
            cur = conn.execute(sql_text.encode(), params, binary=True)  # as the poller does
            return [dict(r) for r in cur.fetchall()]


# Columns a model gets from elsewhere than its own probe (the poller merges them in).
MERGED: dict[str, set[str]] = {
    "server": set(ServerSettings.model_fields),
    "statements": {"query"},
}


def validate(probe: str, rows: list[dict[str, Any]]) -> None:
    model = PROBES[probe].model
    for row in rows:
        assert set(row) == set(model.model_fields) - MERGED.get(probe, set())
        model.model_validate(row | _merged_sample(probe), strict=True)


def _merged_sample(probe: str) -> dict[str, Any]:
    if probe != "server":
        return {}
    sample = factories.server()
    return {name: getattr(sample, name) for name in ServerSettings.model_fields}


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
