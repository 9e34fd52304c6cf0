"""pgwatch and pg_activity watching the same server under the same workload, alternately
(A B A B ...), each on a 200x50 pseudo-terminal at a 1 s refresh, each as its own role.

Per run, over the same measured window after a warm-up:
- server cost: execution + planning time of the tool's statements (pg_stat_statements,
  filtered by its role), and its statements per second;
- client CPU: user + system time of the tool's process tree;
- terminal bytes per second: what an SSH link would carry;
- start-up: launch to the first frame showing server data.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg

from benchmarks.environment import TOOL_ROLES, tool_conninfo
from benchmarks.pty_run import Terminal, on_a_terminal
from pgwatch_tui.sandbox.cluster import SandboxCluster

COLUMNS, LINES = 200, 50
WARM_UP_S = 3.0
# pgwatch polls only what the visible pane needs: cycle Overview, Statements and Locks so
# all three are polled in the window, as a DBA moving around would.
PGWATCH_PANES = "134"
PANE_EVERY_S = 5.0


@dataclass(frozen=True)
class RunFigures:
    server_ms_per_s: float
    statements_per_s: float
    cpu_ms_per_s: float
    bytes_per_s: float
    startup_s: float


def _argv(tool: str, cluster: SandboxCluster) -> list[str]:
    conninfo = tool_conninfo(cluster, tool)
    if tool == "pgwatch":
        return [sys.executable, "-m", "pgwatch_tui", "--refresh", "1", conninfo]
    # Installed beside this interpreter (the benchmark environment), else on PATH.
    beside = Path(sys.executable).with_name("pg_activity")
    pg_activity = str(beside) if beside.exists() else shutil.which("pg_activity")
    if pg_activity is None:
        raise RuntimeError("pg_activity is not installed: pip install pg_activity")
    return [pg_activity, "--refresh", "1", conninfo]


# A marker that only appears once the tool has drawn data from the server.
FIRST_DATA = {"pgwatch": b"commits/s", "pg_activity": b"PID"}


def _tree_cpu_s(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _role_cost(cluster: SandboxCluster, role: str) -> tuple[float, int]:
    """(execution + planning ms, calls) of the role's statements since its last reset."""
    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(total_exec_time + total_plan_time), 0),"
            " coalesce(sum(calls), 0)"
            " FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
            " WHERE r.rolname = %s",
            (role,),
        ).fetchone()
    assert row is not None
    return float(row[0]), int(row[1])


def _reset_role(cluster: SandboxCluster, role: str) -> None:
    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_stat_statements_reset((SELECT oid FROM pg_roles WHERE rolname = %s))",
            (role,),
        )


def _watch(term: Terminal, tool: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < deadline:
        if tool == "pgwatch":
            term.type(PGWATCH_PANES[turn % len(PGWATCH_PANES)], settle_s=0)
            turn += 1
        term.read_for(min(PANE_EVERY_S, max(deadline - time.monotonic(), 0)))


def measure_run(cluster: SandboxCluster, tool: str, seconds: float) -> RunFigures:
    role = TOOL_ROLES[tool]
    launched = time.monotonic()
    with on_a_terminal(_argv(tool, cluster), COLUMNS, LINES) as term:
        term.wait_for(FIRST_DATA[tool], seconds=30)
        startup = time.monotonic() - launched
        term.read_for(WARM_UP_S)
        _reset_role(cluster, role)
        cpu0, bytes0, t0 = _tree_cpu_s(term.pid), len(term.output), time.monotonic()
        _watch(term, tool, seconds)
        cpu1, bytes1, t1 = _tree_cpu_s(term.pid), len(term.output), time.monotonic()
        server_ms, calls = _role_cost(cluster, role)
    elapsed = t1 - t0
    return RunFigures(
        server_ms_per_s=server_ms / elapsed,
        statements_per_s=calls / elapsed,
        cpu_ms_per_s=(cpu1 - cpu0) * 1000 / elapsed,
        bytes_per_s=(bytes1 - bytes0) / elapsed,
        startup_s=startup,
    )


def side_by_side(
    cluster: SandboxCluster, seconds: float, runs: int, log: object = print
) -> dict[str, list[RunFigures]]:
    """`runs` alternating runs of each tool: pgwatch, pg_activity, pgwatch, ..."""
    figures: dict[str, list[RunFigures]] = {"pgwatch": [], "pg_activity": []}
    for n in range(runs):
        for tool in ("pgwatch", "pg_activity"):
            result = measure_run(cluster, tool, seconds)
            figures[tool].append(result)
            log(f"  run {n + 1}/{runs} {tool}: {result}")  # type: ignore[operator]
    return figures


def median(runs: list[RunFigures], field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs)
