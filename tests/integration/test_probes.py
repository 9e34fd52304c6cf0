"""Every probe's SQL runs on the real server and its rows match its model exactly."""

from __future__ import annotations

import pytest

from pgwatch_tui.core.collect.probes import PROBES
from pgwatch_tui.core.versions import parse_version
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.pg_helpers import execute, idle_in_transaction, lock_chain
from tests.server_checks import BOOK, run_probe, validate

# Empty on a lone primary; test_replication_probes runs them beside a standby.
NEED_A_STANDBY = (
    "replication",
    "replication_slots",
    "recovery",
    "recovery_conflicts",
    "subscriptions",
    "publications",
)


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_probe_sql_runs_and_fills_its_model_strictly(cluster: SandboxCluster, probe: str) -> None:
    execute(cluster.conninfo(), "SELECT count(*) FROM pg_class")  # some statements to list
    execute(
        cluster.conninfo(),
        "CREATE TABLE IF NOT EXISTS probe_parent (id int PRIMARY KEY);"
        " CREATE TABLE IF NOT EXISTS probe_child (id int, parent int REFERENCES probe_parent);"
        " CREATE INDEX IF NOT EXISTS probe_child_lower ON probe_child (lower(id::text));"
        " ANALYZE probe_parent, probe_child",
    )
    major = int(execute(cluster.conninfo(), "SHOW server_version_num")[0][0]) // 10000  # type: ignore[call-overload]
    version = execute(
        cluster.conninfo(),
        "SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'",
    )[0][0]
    chosen = BOOK.resolve(probe, server_major=major, pgss_version=parse_version(str(version)))
    assert chosen is not None
    with lock_chain(cluster.conninfo(), 3), idle_in_transaction(cluster.conninfo()):
        rows = run_probe(cluster.conninfo(), probe, chosen.sql)
    if probe in NEED_A_STANDBY:
        # With them: see test_replication_probes.
        assert rows == [], "no standby, slot, subscription or publication; not in recovery"
    elif PROBES[probe].single_row:
        assert len(rows) == 1
    elif probe not in ("statement_texts", "vacuum_progress", "index_builds", "session_locks"):
        assert rows, f"{probe} returned nothing"
    validate(probe, rows)


def test_lock_waits_name_blockers_and_the_row_table(cluster: SandboxCluster) -> None:
    chosen = BOOK.resolve("lock_waits", server_major=15)
    assert chosen is not None
    with lock_chain(cluster.conninfo(), 3, table="probe_chain") as chain:
        rows = run_probe(cluster.conninfo(), "lock_waits", chosen.sql)
    by_pid = {r["pid"]: r for r in rows}
    assert by_pid[chain.pids[1]]["blocking_pids"] == [chain.pids[0]]
    assert by_pid[chain.pids[2]]["blocking_pids"] == [chain.pids[1]]
    assert by_pid[chain.pids[1]]["relation"] == "probe_chain"
    assert by_pid[chain.pids[1]]["blocker_modes"] == ["ExclusiveLock"]
    assert chain.pids[0] not in by_pid


OLD_EXTENSION_STEPS = ["1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10"]


def test_statements_sql_works_for_every_older_extension_version(cluster: SandboxCluster) -> None:
    """A server keeps an old extension version until ALTER EXTENSION UPDATE: walk them all."""
    execute(cluster.conninfo(), "DROP DATABASE IF EXISTS pgss_versions")
    execute(cluster.conninfo(), "CREATE DATABASE pgss_versions")
    conninfo = cluster.conninfo(dbname="pgss_versions")
    execute(conninfo, "CREATE EXTENSION pg_stat_statements VERSION '1.4'")
    tried = []
    for step in OLD_EXTENSION_STEPS:
        execute(conninfo, f"ALTER EXTENSION pg_stat_statements UPDATE TO '{step}'".encode())  # type: ignore[arg-type]
        execute(conninfo, "SELECT 42")
        version = parse_version(step)
        for probe in ("statements", "statement_texts", "statements_info"):
            chosen = BOOK.resolve(probe, server_major=15, pgss_version=version)
            if chosen is None:
                assert probe == "statements_info"
                assert version is not None
                assert version < (1, 9)
                continue
            rows = run_probe(conninfo, probe, chosen.sql)
            validate(probe, rows)
            if probe == "statements":
                assert rows, f"no statements with extension {step}"
        tried.append(step)
    assert tried == OLD_EXTENSION_STEPS
