"""Every supported major for real (14, 16, 17, 18 here; 15 is the main suite's server): every
probe, the snapshot document, the EXPLAIN corpus, bloat estimates and a REINDEX CONCURRENTLY."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from pgwatch_tui.core.act.audit import AuditLog
from pgwatch_tui.core.act.requests import reindex_request
from pgwatch_tui.core.act.runner import ActionRunner
from pgwatch_tui.core.collect.connection import open_connection
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.login import take_snapshot
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.collect.probes import PROBES, SNAPSHOT_PROBES
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.diagnose.explain import Explainer
from pgwatch_tui.core.model.snapshot import ProbeState
from pgwatch_tui.core.record.export import SnapshotDocument, build_document, document_json
from pgwatch_tui.core.versions import parse_version
from pgwatch_tui.sandbox.cluster import SandboxCluster, sandbox_cluster
from tests.explain_corpus import load_corpus
from tests.matrix.embedded_builds import OLD_14, embedded_install
from tests.pg_fixtures import FAST, create_extensions
from tests.pg_helpers import execute, idle_in_transaction, lock_chain
from tests.server_checks import BOOK, SETUP, estimates, run_probe, validate

pytestmark = pytest.mark.versions


def major_of(cluster: SandboxCluster) -> int:
    return int(execute(cluster.conninfo(), "SHOW server_version_num")[0][0]) // 10000  # type: ignore[call-overload]


def test_every_probe_runs_and_fills_its_model(versioned_cluster: SandboxCluster) -> None:
    conninfo = versioned_cluster.conninfo()
    execute(conninfo, "CREATE TABLE IF NOT EXISTS m_t (id int PRIMARY KEY, v text)")
    execute(conninfo, "ANALYZE m_t")
    # A slot, so the slot probe's columns for this major are checked against a real row.
    execute(
        conninfo,
        "SELECT pg_create_physical_replication_slot('m_slot', true) WHERE NOT EXISTS"
        " (SELECT 1 FROM pg_replication_slots WHERE slot_name = 'm_slot')",
    )
    pgss = execute(
        conninfo, "SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'"
    )[0][0]
    with lock_chain(conninfo, 3, table="m_chain"), idle_in_transaction(conninfo):
        for probe in sorted(PROBES):
            chosen = BOOK.resolve(
                probe,
                server_major=major_of(versioned_cluster),
                pgss_version=parse_version(str(pgss)),
            )
            assert chosen is not None, probe
            rows = run_probe(conninfo, probe, chosen.sql)
            if probe == "replication_slots":
                assert [r["slot_name"] for r in rows] == ["m_slot"]
            validate(probe, rows)


async def test_snapshot_document_is_complete_and_valid(versioned_cluster: SandboxCluster) -> None:
    poller = Poller(ConnTarget(versioned_cluster.conninfo()), FAST)
    await poller.connect()
    try:
        await poller.poll(frozenset(SNAPSHOT_PROBES), force=frozenset(SNAPSHOT_PROBES))
        snapshot = await take_snapshot(poller, 0.2)
    finally:
        await poller.close()
    states = {name: status.state for name, status in snapshot.probes.items()}
    # Every session is listed in a snapshot document, so idle ones need no separate count.
    assert states.pop("idle_count") is ProbeState.NOT_POLLED
    assert all(state is ProbeState.OK for state in states.values()), states
    document = build_document(snapshot, target=poller.label, top=10)
    again = SnapshotDocument.model_validate_json(document_json(document))  # what --json prints
    assert again.server.major == major_of(versioned_cluster)
    assert again.checkpoints is not None  # pg_stat_checkpointer on 17+, pg_stat_bgwriter before
    assert again.statements


async def test_explain_corpus(versioned_cluster: SandboxCluster) -> None:
    corpus = load_corpus(versioned_cluster, "corpus")
    major = major_of(versioned_cluster)
    explainer = Explainer(QueryBook(), major)
    conn = await open_connection(ConnTarget(versioned_cluster.conninfo(dbname="corpus")), FAST)
    try:
        await conn.set_read_only(True)
        outcomes = [await explainer.explain(conn, q, custom=False) for q in corpus]
    finally:
        await conn.close()
    failures = [f"{o.query!r}: {o.error}" for o in outcomes if o.generic is None]
    assert len(corpus) >= 200
    assert 1 - len(failures) / len(corpus) >= 0.99, "\n".join(failures)
    # The method follows the version: GENERIC_PLAN from 16 on, PREPARE before.
    with_parameters = [o for o in outcomes if o.parameter_types and o.generic is not None]
    expected = "EXPLAIN (GENERIC_PLAN)" if major >= 16 else "PREPARE"
    chosen = [o for o in with_parameters if o.method.startswith(expected)]
    assert len(chosen) >= 0.9 * len(with_parameters), {o.method for o in with_parameters}


def test_bloat_estimates_of_fresh_relations(versioned_cluster: SandboxCluster) -> None:
    with psycopg.connect(versioned_cluster.conninfo(), autocommit=True) as conn:
        for statement in SETUP.split(";"):
            if statement.strip():
                conn.execute(statement.encode())
    found = estimates(versioned_cluster)
    assert len(found) == 11
    for name, estimate in found.items():
        assert estimate.expected_bytes is not None, name
        assert 0.85 <= estimate.expected_bytes / estimate.size_bytes <= 1.15, name


async def test_reindex_concurrently(versioned_cluster: SandboxCluster, tmp_path: Path) -> None:
    conninfo = versioned_cluster.conninfo()
    execute(conninfo, "DROP TABLE IF EXISTS m_r")
    execute(conninfo, "CREATE TABLE m_r (id int PRIMARY KEY, k int)")
    execute(conninfo, "INSERT INTO m_r SELECT g, g % 100 FROM generate_series(1, 50000) g")
    execute(conninfo, "CREATE INDEX m_r_k ON m_r (k)")
    execute(conninfo, "DELETE FROM m_r WHERE id % 4 <> 0")
    execute(conninfo, "VACUUM m_r")
    before = execute(conninfo, "SELECT pg_relation_size('m_r_k')")[0][0]
    poller = Poller(ConnTarget(conninfo), FAST)
    await poller.connect()
    try:
        runner = ActionRunner(poller.target, FAST, poller, AuditLog(tmp_path / "audit"))
        request = reindex_request("public", "m_r_k", "m_r")
        check = await runner.precheck(request)
        assert check.allowed
        assert not check.warnings or "14.0-14.3" not in check.warnings[0]
        outcome = await runner.run(request)
    finally:
        await poller.close()
    assert outcome.ok, outcome.message
    after = execute(conninfo, "SELECT pg_relation_size('m_r_k')")[0][0]
    assert after < before  # type: ignore[operator]


async def test_14_3_is_warned_about(tmp_path: Path) -> None:
    """PostgreSQL 14.0 to 14.3 could corrupt indexes built concurrently: say so first."""
    install = embedded_install(OLD_14)
    with sandbox_cluster(install) as old:
        create_extensions(old.conninfo(), install)
        execute(old.conninfo(), "CREATE TABLE o (id int PRIMARY KEY)")
        poller = Poller(ConnTarget(old.conninfo()), FAST)
        await poller.connect()
        try:
            runner = ActionRunner(poller.target, FAST, poller, AuditLog(tmp_path / "audit"))
            check = await runner.precheck(reindex_request("public", "o_pkey", "o"))
        finally:
            await poller.close()
    assert check.allowed
    assert any("14.0-14.3" in w and "14.4" in w for w in check.warnings)
