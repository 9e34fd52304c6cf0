"""The benchmark server: a sandbox cluster, a pgbench workload, idle sessions, one role per
tool (so pg_stat_statements tells their statements apart), and the scale set-up."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
from psycopg import sql

from pgwatch_tui.sandbox.binaries import PgInstall, find_install
from pgwatch_tui.sandbox.cluster import ClusterOptions, SandboxCluster, sandbox_cluster

TOOL_ROLES = {"pgwatch": "bench_pgwatch", "pg_activity": "bench_pg_activity"}
SERVER_SETTINGS = {
    "pg_stat_statements.track_planning": "on",  # planning time counts as server cost too
    "pg_stat_statements.max": "20000",
}


@dataclass(frozen=True)
class Scale:
    """How big the benchmark server is made."""

    pgbench_scale: int = 10
    pgbench_clients: int = 8
    pgbench_rate: int = 300  # transactions per second: load without saturating 2 cores
    idle_sessions: int = 200
    sessions: int = 2000  # the scale phase
    statements: int = 5000
    tables: int = 5000  # each with a primary key index: twice as many relations

    @classmethod
    def quick(cls) -> Scale:
        return cls(
            pgbench_scale=1,
            pgbench_clients=2,
            pgbench_rate=50,
            idle_sessions=10,
            sessions=50,
            statements=50,
            tables=50,
        )


@contextlib.contextmanager
def benchmark_cluster(max_connections: int) -> Iterator[SandboxCluster]:
    install = find_install()
    options = ClusterOptions(max_connections=max_connections, settings=SERVER_SETTINGS)
    with sandbox_cluster(install, options) as cluster:
        with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            for role in TOOL_ROLES.values():
                # Both tools get the same, full view of the server.
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN SUPERUSER").format(sql.Identifier(role)))
        yield cluster


def tool_conninfo(cluster: SandboxCluster, tool: str) -> str:
    return cluster.conninfo(user=TOOL_ROLES[tool])


def _pgbench(install: PgInstall, cluster: SandboxCluster, *args: str) -> list[str]:
    return [
        str(install.tool("pgbench")),
        "-h",
        str(cluster.sockdir),
        "-p",
        str(cluster.port),
        "-U",
        "postgres",
        *args,
        "postgres",
    ]


@contextlib.contextmanager
def pgbench_workload(cluster: SandboxCluster, scale: Scale) -> Iterator[None]:
    """pgbench initialised at the scale, then running (rate-limited) until the block ends."""
    install = find_install()
    subprocess.run(
        _pgbench(install, cluster, "-i", "-q", "-s", str(scale.pgbench_scale)),
        env=install.env(),
        check=True,
        capture_output=True,
    )
    run = _pgbench(
        install,
        cluster,
        "-n",
        "-c",
        str(scale.pgbench_clients),
        "-j",
        "2",
        "-R",
        str(scale.pgbench_rate),
        "-T",
        "86400",
    )
    proc = subprocess.Popen(
        run, env=install.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(1.0)
        if proc.poll() is not None:
            raise RuntimeError(f"pgbench ended at once with code {proc.returncode}")
        yield
    finally:
        proc.terminate()
        proc.wait(10)


@contextlib.contextmanager
def idle_sessions(conninfo: str, count: int) -> Iterator[None]:
    """`count` idle connections held by a helper process (not the measured one)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.hold_sessions", conninfo, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdin is not None
    try:
        ready = proc.stdout.readline().strip()
        if ready != "ready":
            raise RuntimeError(f"could not open {count} sessions: {ready or proc.wait()}")
        yield
    finally:
        proc.stdin.close()
        proc.wait(60)


def build_scale(conninfo: str, scale: Scale) -> None:
    """`scale.tables` tables with their primary keys, and `scale.statements` distinct
    statements in pg_stat_statements."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # The DDL is not one of the statements asked for: keep it out of pg_stat_statements.
        conn.execute("SET pg_stat_statements.track_utility = off")
        for start in range(0, scale.tables, 500):
            block = range(start, min(start + 500, scale.tables))
            ddl = "".join(f"CREATE TABLE s_{n} (id int PRIMARY KEY, v int);" for n in block)
            conn.execute(ddl.encode())
        for n in range(scale.statements):
            table = sql.Identifier(f"s_{n % scale.tables}")
            # A different column list per statement makes a distinct query id.
            columns = sql.SQL(", ").join([sql.SQL("id")] * (1 + n // scale.tables))
            conn.execute(sql.SQL("SELECT {} FROM {} WHERE id = 1").format(columns, table))
        conn.execute("ANALYZE")
