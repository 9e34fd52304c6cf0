"""pgwatch alone at scale (2,000 sessions, 5,000 statements, 10,000 relations), measured in
process with Textual's Pilot: client CPU per tick on each pane (poll, rates, diff and the
widgets' work; the headless driver writes nothing, so terminal output is not in it), and
whether query texts are ever read twice. Key latency is measured on a real terminal
(key_latency.py)."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import psycopg

from benchmarks.environment import TOOL_ROLES
from pgwatch_tui.core import gc_policy
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.ui.app import PgWatchApp

SETTINGS = Settings(refresh=1.0, statement_timeout_ms=5000)
PANES = "123456"


@dataclass(frozen=True)
class ScaleFigures:
    tick_cpu_ms: dict[str, float]  # pane -> median client CPU per tick
    texts_read: int  # query texts fetched over the run
    statements_seen: int  # distinct statement texts pgwatch holds at the end


async def _ticks(app: PgWatchApp, count: int) -> float:
    """Median process CPU (ms) per snapshot shown, over `count` snapshots."""
    costs = []
    last = app.snapshot
    cpu = time.process_time()
    while len(costs) < count:
        await asyncio.sleep(0.01)
        if app.snapshot is not last:
            last = app.snapshot
            now = time.process_time()
            costs.append((now - cpu) * 1000)
            cpu = now
    return statistics.median(costs)


async def _texts_read(conninfo: str) -> int:
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        cur = await conn.execute(
            "SELECT coalesce(sum(s.rows), 0) FROM pg_stat_statements s"
            " JOIN pg_roles r ON r.oid = s.userid"
            " WHERE r.rolname = %s AND s.query LIKE %s",
            (TOOL_ROLES["pgwatch"], "%Probe: statement_texts%"),
        )
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def measure_scale(conninfo: str, admin_conninfo: str, ticks: int) -> ScaleFigures:
    poller = Poller(ConnTarget(conninfo), SETTINGS)
    await poller.connect()
    gc_policy.pause_for_start_up()  # as the pgwatch command starts (cli.main)
    app = dashboard_app(poller, SETTINGS)
    app.animation_level = "none"
    tick_cpu: dict[str, float] = {}
    async with app.run_test(size=(200, 50)) as pilot:
        while app.snapshot is None:
            await pilot.pause(0.05)
        for pane in PANES:
            await pilot.press(pane)
            await _ticks(app, 2)  # the pane's first ticks fill it: not the steady state
            tick_cpu[pane] = await _ticks(app, ticks)
        seen = len(poller.lookups["statements"])  # one entry per statement known
    await poller.close()
    gc_policy.resume()
    return ScaleFigures(
        tick_cpu_ms=tick_cpu,
        texts_read=await _texts_read(admin_conninfo),
        statements_seen=seen,
    )
