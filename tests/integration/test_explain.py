"""EXPLAIN of what pg_stat_statements really holds: the corpus, skew, sessions, safety."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from pgwatch_tui.core.collect.connection import Conn, open_connection
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.diagnose.explain import Explainer
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.explain_corpus import load_corpus
from tests.pg_fixtures import FAST
from tests.pg_helpers import execute

CORPUS_DB = "corpus"


@pytest.fixture(scope="module")
def corpus(cluster: SandboxCluster) -> list[str]:
    """Load the corpus database, run every statement, return the normalized texts."""
    return load_corpus(cluster, CORPUS_DB)


@pytest.fixture
async def monitoring(cluster: SandboxCluster, corpus: list[str]) -> AsyncIterator[Conn]:
    """A read-only session in the corpus database (which the corpus fixture makes)."""
    conn = await open_connection(ConnTarget(cluster.conninfo(dbname=CORPUS_DB)), FAST)
    await conn.set_read_only(True)
    try:
        yield conn
    finally:
        await conn.close()


async def test_corpus_is_big_and_varied(corpus: list[str]) -> None:
    assert len(corpus) >= 200
    assert sum("$" in q for q in corpus) >= 180
    assert any("ANY($1)" in q for q in corpus)
    assert any("$1 IS NULL" in q or "$2 IS NULL" in q for q in corpus)
    assert any(q.startswith(("INSERT", "UPDATE", "DELETE")) for q in corpus)


async def test_at_least_99_percent_of_the_corpus_gets_a_plan(
    corpus: list[str], monitoring: Conn
) -> None:
    explainer = Explainer(QueryBook(), monitoring.info.server_version // 10000)
    failures = []
    for query in corpus:
        outcome = await explainer.explain(monitoring, query, custom=False)
        if outcome.generic is None:
            failures.append(f"{query!r}: {outcome.error}")
    rate = 1 - len(failures) / len(corpus)
    assert rate >= 0.99, "\n".join(failures)
    # Planning never left anything behind: no transaction, no prepared statement.
    assert monitoring.info.transaction_status.name == "IDLE"
    cur = await monitoring.execute(
        "SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'pgwatch_plan_%%'"
    )
    row = await cur.fetchone()
    assert row is not None
    assert row["n"] == 0


async def test_operator_not_unique_and_untyped_is_null_are_retyped(monitoring: Conn) -> None:
    explainer = Explainer(QueryBook(), 15)  # force the PREPARE path whatever the server
    for query in (
        "SELECT $1 / $2",
        "SELECT * FROM c_orders WHERE ($1 IS NULL OR status = $1)",
        "SELECT $1 || $2",
        "SELECT $1",
    ):
        outcome = await explainer.explain(monitoring, query, custom=False)
        assert outcome.generic is not None, outcome.error
        assert outcome.method.startswith("PREPARE")


async def test_generic_plan_on_16_and_later(monitoring: Conn) -> None:
    major = monitoring.info.server_version // 10000
    outcome = await Explainer(QueryBook(), major).explain(
        monitoring, "SELECT * FROM c_orders WHERE customer_id = $1", custom=False
    )
    assert outcome.generic is not None
    expected = "EXPLAIN (GENERIC_PLAN)" if major >= 16 else "PREPARE"
    assert outcome.method.startswith(expected)


async def test_skewed_column_gets_frequent_and_rare_custom_plans(monitoring: Conn) -> None:
    major = monitoring.info.server_version // 10000
    outcome = await Explainer(QueryBook(), major).explain(
        monitoring, "SELECT * FROM c_orders WHERE status = $1"
    )
    labels = [c.label for c in outcome.custom]
    assert len(labels) == 2
    assert labels[0].startswith("frequent value")
    assert labels[1].startswith("rare value")
    frequent, rare = outcome.custom
    assert frequent.values == ["delivered"]
    assert rare.values == ["pending"]
    assert frequent.plan.signature() != rare.plan.signature()
    assert outcome.plans_differ
    assert outcome.analyzable


async def test_unskewed_statement_gets_one_plan_for_typical_values(monitoring: Conn) -> None:
    major = monitoring.info.server_version // 10000
    outcome = await Explainer(QueryBook(), major).explain(
        monitoring, "SELECT * FROM c_orders WHERE customer_id = $1 ORDER BY id LIMIT $2"
    )
    assert [c.label for c in outcome.custom] == ["typical values"]
    customer, limit = outcome.custom[0].values
    assert customer is not None
    assert customer.isdigit()
    assert limit is not None  # LIMIT gets a typical row count
    assert outcome.analyzable


async def test_session_query_with_literals_is_plain_explain(monitoring: Conn) -> None:
    outcome = await Explainer(QueryBook(), 15).explain(
        monitoring, "SELECT * FROM c_orders WHERE id = 5"
    )
    assert outcome.method == "EXPLAIN"
    assert outcome.analyzable
    assert outcome.generic is not None
    assert any(n.index_name == "c_orders_pkey" for n in outcome.generic.nodes())


async def test_dml_is_planned_but_never_run(monitoring: Conn, cluster: SandboxCluster) -> None:
    before = execute(cluster.conninfo(dbname=CORPUS_DB), "SELECT count(*) FROM c_orders")
    outcome = await Explainer(QueryBook(), 15).explain(monitoring, "DELETE FROM c_orders")
    assert outcome.generic is not None
    assert outcome.generic.root.node_type == "ModifyTable"
    assert not outcome.analyzable
    assert execute(cluster.conninfo(dbname=CORPUS_DB), "SELECT count(*) FROM c_orders") == before


async def test_utility_statements_have_no_plan(monitoring: Conn) -> None:
    outcome = await Explainer(QueryBook(), 15).explain(monitoring, "VACUUM c_orders")
    assert outcome.generic is None
    assert outcome.error == "only queries and DML have plans"
