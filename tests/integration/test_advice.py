"""Index advice on realistic tables, checked against what a DBA would build, for real.

Each scenario runs a workload, asks for advice on one statement, then builds both the top
suggestion and the index a DBA would choose, and compares measured latency and real size.
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
from typing import Any

import psycopg
import pytest

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.collect.probes import SNAPSHOT_PROBES
from pgwatch_tui.core.diagnose.advisor.models import Advice
from pgwatch_tui.core.diagnose.diagnosis import Diagnosis
from pgwatch_tui.core.model.rows import StatementStats
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.pg_helpers import execute

DB = "advice"
SETTINGS = Settings(statement_timeout_ms=10_000, lock_timeout_ms=500)
SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
    "CREATE EXTENSION IF NOT EXISTS hypopg",
    "CREATE EXTENSION IF NOT EXISTS pg_qualstats",
    "CREATE TABLE cust (id int PRIMARY KEY, name text NOT NULL, region int NOT NULL)",
    "INSERT INTO cust SELECT g, 'customer ' || g, g % 20 FROM generate_series(1, 30000) g",
    """CREATE TABLE acct (
         id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES cust, status text NOT NULL,
         region int NOT NULL, created_at timestamptz NOT NULL, amount numeric(12, 2) NOT NULL,
         counter int NOT NULL, note text
       ) WITH (fillfactor = 90)""",
    """INSERT INTO acct
       SELECT g, 1 + (g::bigint * 7919) % 30000,
              CASE WHEN g % 200 = 0 THEN 'failed' WHEN g % 200 < 4 THEN 'open' ELSE 'done' END,
              g % 20, timestamptz '2025-01-01' + g * interval '1 minute', g % 1000, 0,
              CASE WHEN g % 3 = 0 THEN 'n' || g END
         FROM generate_series(1, 300000) g""",
    "VACUUM ANALYZE cust, acct",
]
FILTER = "SELECT id, amount FROM acct WHERE customer_id = %s::int"
JOIN = (
    "SELECT c.name, a.amount FROM cust c JOIN acct a ON a.customer_id = c.id WHERE c.id = %s::int"
)
TOP_N = "SELECT * FROM acct WHERE region = %s::int ORDER BY created_at DESC LIMIT 20"
SKEWED = "SELECT id FROM acct WHERE status = %s ORDER BY created_at LIMIT 50"
HOT_UPDATE = "UPDATE acct SET counter = counter + 1 WHERE id = %s::bigint"
HOT_QUERY = "SELECT count(*) FROM acct WHERE counter > %s::int"


def run_workload(conninfo: str) -> None:
    rnd = random.Random(3)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_statements_reset()")
        conn.execute("SELECT pg_qualstats_reset()")
        for _ in range(150):
            conn.execute(FILTER.encode(), (rnd.randint(1, 30000),))
        for _ in range(40):
            conn.execute(JOIN.encode(), (rnd.randint(1, 30000),))
        for _ in range(60):
            conn.execute(TOP_N.encode(), (rnd.randint(0, 19),))
        for _ in range(60):
            conn.execute(SKEWED.encode(), ("failed",))
        for _ in range(1500):
            conn.execute(HOT_UPDATE.encode(), (rnd.randint(1, 300000),))
        for _ in range(20):
            conn.execute(HOT_QUERY.encode(), (rnd.randint(0, 3),))


@pytest.fixture(scope="module")
def advice_db(cluster: SandboxCluster) -> str:
    execute(cluster.conninfo(), f"DROP DATABASE IF EXISTS {DB}".encode())  # type: ignore[arg-type]
    execute(cluster.conninfo(), f"CREATE DATABASE {DB}".encode())  # type: ignore[arg-type]
    conninfo = cluster.conninfo(dbname=DB)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for statement in SCHEMA:
            conn.execute(statement.encode())
    return conninfo


@pytest.fixture(scope="module")
def advised(cluster: SandboxCluster, advice_db: str) -> dict[str, Advice]:
    """Advice on every scenario's statement, asked the way the dashboard asks."""
    return asyncio.run(_advise_all(cluster, advice_db))


async def _snapshot(poller: Poller, conninfo: str) -> Snapshot:
    everything = frozenset(SNAPSHOT_PROBES)
    await poller.poll(everything, force=frozenset({"tables"}))
    run_workload(conninfo)
    await asyncio.sleep(1.1)
    return await poller.poll(everything)


def _find(snapshot: Snapshot, fragment: str) -> StatementStats:
    return next(s for s in snapshot.statements if s.query and fragment in s.query)


async def _advise_all(cluster: SandboxCluster, conninfo: str) -> dict[str, Advice]:
    poller = Poller(ConnTarget(conninfo), SETTINGS)
    await poller.connect()
    try:
        snapshot = await _snapshot(poller, conninfo)
        diagnosis = Diagnosis(poller, SETTINGS)
        wanted = {
            "filter": "WHERE customer_id = $1",
            "join": "JOIN acct a ON a.customer_id",
            "top_n": "WHERE region = $1",
            "skewed": "WHERE status = $1",
            "hot": "WHERE counter > $1",
        }
        return {
            name: await diagnosis.advise(_find(snapshot, fragment), snapshot)
            for name, fragment in wanted.items()
        }
    finally:
        await poller.close()


def _median_ms(conninfo: str, query: str, values: list[Any]) -> float:
    """Median over the values of the best of three runs each, after a warm-up pass:
    sub-millisecond timings on a shared 2-core machine need both to be stable."""
    explain = f"EXPLAIN (ANALYZE, FORMAT JSON) {query}".encode()
    times = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for value in values:
            conn.execute(explain, (value,))
        for value in values:
            runs = []
            for _ in range(3):
                row = conn.execute(explain, (value,)).fetchone()
                assert row is not None
                runs.append(float(row[0][0]["Execution Time"]))
            times.append(min(runs))
    return statistics.median(times)


def _build_and_measure(conninfo: str, ddl: str, query: str, values: list[Any]) -> tuple[float, int]:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(ddl.replace("CONCURRENTLY ", "").rstrip(";").encode())
        match = re.search(r'INDEX\s+(?:CONCURRENTLY\s+)?"?([^"\s]+)"?', ddl)
        assert match is not None
        name = match.group(1)
        conn.execute("ANALYZE acct")
        size = conn.execute("SELECT pg_relation_size(%s::regclass)", (name,)).fetchone()
    latency = _median_ms(conninfo, query, values)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP INDEX "{name}"'.encode())
    assert size is not None
    return latency, int(size[0])


def test_every_scenario_gets_validated_advice(advised: dict[str, Advice]) -> None:
    for name, advice in advised.items():
        assert advice.error is None, (name, advice.error)
        assert advice.validated, name
        assert advice.suggestions, (name, advice.notes)


def test_filter_column(advised: dict[str, Advice]) -> None:
    top = advised["filter"].suggestions[0]
    assert top.shape.keys == ("customer_id",)
    assert top.statement_cost_after is not None
    assert top.statement_cost_before is not None
    assert top.statement_cost_after < 0.1 * top.statement_cost_before


def test_foreign_key_join(advised: dict[str, Advice]) -> None:
    keys = [s.shape.keys for s in advised["join"].suggestions]
    assert ("customer_id",) in keys


def test_equality_then_order_by_limit(advised: dict[str, Advice]) -> None:
    top = advised["top_n"].suggestions[0]
    assert top.shape.keys == ("region", "created_at")


def test_skewed_status_wants_a_partial_index(advised: dict[str, Advice]) -> None:
    top = advised["skewed"].suggestions[0]
    assert top.shape.partial
    assert top.shape.predicate_column == "status"
    assert top.shape.predicate_value == "failed"
    assert top.shape.keys == ("created_at",)
    assert "WHERE \"status\" = 'failed'::text" in top.ddl


def test_update_heavy_column_warns_of_hot_loss(advised: dict[str, Advice]) -> None:
    counter = [
        s
        for s in (*advised["hot"].suggestions, *advised["hot"].considered)
        if "counter" in s.shape.keys
    ]
    assert counter
    assert any("HOT" in w for w in counter[0].warnings)


@pytest.mark.parametrize(
    ("scenario", "dba_index", "query", "values"),
    [
        (
            "filter",
            "CREATE INDEX dba_best ON acct (customer_id)",
            FILTER,
            list(range(100, 3100, 100)),
        ),
        (
            "top_n",
            "CREATE INDEX dba_best ON acct (region, created_at DESC)",
            TOP_N,
            list(range(20)) * 2,
        ),
        (
            "skewed",
            "CREATE INDEX dba_best ON acct (created_at) WHERE status = 'failed'",
            SKEWED,
            ["failed"] * 30,
        ),
    ],
)
def test_top_suggestion_is_as_good_as_a_dbas_index(
    advised: dict[str, Advice],
    advice_db: str,
    scenario: str,
    dba_index: str,
    query: str,
    values: list[Any],
) -> None:
    """Within 10 % of the DBA's index's measured latency, at no more than 1.5x its size."""
    top = advised[scenario].suggestions[0]
    best_ms, best_size = _build_and_measure(advice_db, dba_index, query, values)
    ours_ms, ours_size = _build_and_measure(advice_db, top.ddl, query, values)
    assert ours_ms <= best_ms * 1.1 + 0.05, (top.ddl, ours_ms, best_ms)
    assert ours_size <= best_size * 1.5, (top.ddl, ours_size, best_size)
    # The size pgwatch predicted is within 15 % of the real one.
    assert abs(top.size_bytes - ours_size) <= 0.15 * ours_size, (top.size_bytes, ours_size)


def test_partial_index_is_far_smaller_than_the_cost_only_choice(
    advised: dict[str, Advice], advice_db: str
) -> None:
    top = advised["skewed"].suggestions[0]
    _, full_size = _build_and_measure(
        advice_db, "CREATE INDEX cost_only ON acct (status, created_at)", SKEWED, ["failed"]
    )
    assert top.size_bytes * 50 < full_size


def test_advice_leaves_no_hypothetical_index_and_writes_nothing(
    advised: dict[str, Advice], advice_db: str
) -> None:
    rows = execute(
        advice_db,
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE c.relname LIKE '%customer_id_idx%'",
    )
    assert rows == [(0,)]


@pytest.fixture
async def plain_db(cluster: SandboxCluster) -> str:
    execute(cluster.conninfo(), "DROP DATABASE IF EXISTS advice_plain")
    execute(cluster.conninfo(), "CREATE DATABASE advice_plain")
    conninfo = cluster.conninfo(dbname="advice_plain")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION pg_stat_statements")
        conn.execute("CREATE TABLE t (id int PRIMARY KEY, k int, v text)")
        conn.execute("INSERT INTO t SELECT g, g % 5000, 'v' FROM generate_series(1, 100000) g")
        conn.execute("ANALYZE t")
    return conninfo


async def test_without_hypopg_advice_says_it_is_not_validated(plain_db: str) -> None:
    poller = Poller(ConnTarget(plain_db), SETTINGS)
    await poller.connect()
    try:
        await poller.poll(force=frozenset({"tables"}))
        with psycopg.connect(plain_db, autocommit=True) as conn:
            for k in range(20):
                conn.execute("SELECT * FROM t WHERE k = %s::int", (k,))
        snapshot = await poller.poll()
        statement = _find(snapshot, "WHERE k = $1")
        advice = await Diagnosis(poller, SETTINGS).advise(statement, snapshot)
    finally:
        await poller.close()
    assert not advice.validated
    assert advice.suggestions[0].shape.keys == ("k",)
    assert not advice.suggestions[0].validated
    # HypoPG is installed on the sandbox server, only not created in this database.
    assert any(
        "HypoPG is not created in this database" in note
        and note.endswith("CREATE EXTENSION hypopg;")
        for note in advice.notes
    )
    assert not any("install the" in note for note in advice.notes)
    assert execute(plain_db, "SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'") == [(0,)]
