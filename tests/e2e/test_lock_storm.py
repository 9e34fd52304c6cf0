"""2,000 sessions and a lock storm on a real server: a 100-deep chain of row-lock waits and 500
sessions queued on one table lock. The Locks pane draws both trees exactly, and the dashboard
keeps answering keys while it polls all of it."""

from __future__ import annotations

import asyncio
import contextlib
import resource
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import psycopg
import pytest
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.tree import TreeNode

from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.sandbox.binaries import PgInstall
from pgwatch_tui.sandbox.cluster import ClusterOptions, SandboxCluster, sandbox_cluster
from pgwatch_tui.ui.panes.activity import ActivityPane
from pgwatch_tui.ui.panes.locks import LockTree
from pgwatch_tui.views.locks import LockNode
from tests.e2e.test_dashboard import until
from tests.pg_fixtures import connected_poller

pytestmark = pytest.mark.xdist_group("lock_storm")

SESSIONS = 2000
CHAIN_DEPTH = 100  # sessions in the chain: the head and 99 waiting one behind the other
HUB_WAITERS = 500
SETTINGS = Settings(refresh=1.0, statement_timeout_ms=5000, lock_timeout_ms=300)
AConn = psycopg.AsyncConnection[tuple[object, ...]]


@pytest.fixture(scope="module")
def storm_cluster(pg_install: PgInstall) -> Iterator[SandboxCluster]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = SESSIONS + 1000
    if soft < wanted:  # one socket per session, in this process
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    options = ClusterOptions(max_connections=SESSIONS + 100)
    with sandbox_cluster(pg_install, options) as made:
        with psycopg.connect(made.conninfo(), autocommit=True) as conn:
            conn.execute("CREATE TABLE chain (id int PRIMARY KEY, v int)")
            conn.execute(f"INSERT INTO chain SELECT g, 0 FROM generate_series(1, {CHAIN_DEPTH}) g")
            conn.execute("CREATE TABLE hub (id int)")
        yield made
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@dataclass
class Storm:
    chain: list[int]  # pids, head first
    hub_blocker: int
    hub_waiters: set[int]


async def _open(conninfo: str, count: int, app: str) -> list[AConn]:
    gate = asyncio.Semaphore(16)

    async def one(n: int) -> AConn:
        async with gate:
            return await psycopg.AsyncConnection.connect(
                conninfo, autocommit=True, application_name=f"{app}-{n}"
            )

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def _waiting(admin: AConn, prefix: str) -> int:
    cur = await admin.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND application_name LIKE %s",
        (prefix + "-%",),
    )
    row = await cur.fetchone()
    assert row is not None
    return int(row[0])  # type: ignore[call-overload]


async def _until_waiting(admin: AConn, prefix: str, count: int) -> None:
    for _ in range(600):
        if await _waiting(admin, prefix) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"only {await _waiting(admin, prefix)} of {count} {prefix} waits")


@contextlib.asynccontextmanager
async def lock_storm(cluster: SandboxCluster) -> AsyncIterator[Storm]:
    conninfo = cluster.conninfo()
    chain = await _open(conninfo, CHAIN_DEPTH, "chain")
    hub = await _open(conninfo, HUB_WAITERS + 1, "hub")
    idle = await _open(conninfo, SESSIONS - CHAIN_DEPTH - HUB_WAITERS - 1, "idle")
    admin = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
    blocked: list[asyncio.Task[object]] = []
    try:
        for n, conn in enumerate(chain):  # session n holds row n + 1 ...
            await conn.execute("BEGIN")
            await conn.execute("UPDATE chain SET v = v + 1 WHERE id = %s", (n + 1,))
        for n, conn in enumerate(chain[1:], start=1):  # ... and waits for row n, held by n - 1
            update = conn.execute("UPDATE chain SET v = v + 1 WHERE id = %s", (n,))
            blocked.append(asyncio.create_task(update))
        await hub[0].execute("BEGIN")
        await hub[0].execute("LOCK TABLE hub IN ACCESS EXCLUSIVE MODE")
        for conn in hub[1:]:
            blocked.append(asyncio.create_task(conn.execute("SELECT count(*) FROM hub")))
        for conn in idle:
            await conn.execute("SELECT 1")
        await _until_waiting(admin, "chain", CHAIN_DEPTH - 1)
        await _until_waiting(admin, "hub", HUB_WAITERS)
        yield Storm(
            chain=[c.info.backend_pid for c in chain],
            hub_blocker=hub[0].info.backend_pid,
            hub_waiters={c.info.backend_pid for c in hub[1:]},
        )
    finally:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name ~ '^(chain|hub)-'"
        )
        await asyncio.gather(*blocked, return_exceptions=True)
        for conn in [*chain, *hub, *idle, admin]:
            with contextlib.suppress(psycopg.Error):
                await conn.close()


@pytest.fixture
async def poller(storm_cluster: SandboxCluster) -> AsyncIterator[Poller]:
    async with connected_poller(storm_cluster.conninfo(), SETTINGS) as made:
        yield made


def _summary(pane: Widget) -> str:
    return str(pane.query_one(".summary", Static).content)


def _chain_below(node: TreeNode[LockNode]) -> list[int]:
    """The pids down a chain, following the single child at each level."""
    pids = []
    while node.data is not None:
        pids.append(node.data.pid)
        if len(node.children) != 1:
            break
        node = node.children[0]
    return pids


async def test_locks_pane_draws_the_storm_exactly_and_keeps_answering(
    storm_cluster: SandboxCluster, poller: Poller
) -> None:
    async with lock_storm(storm_cluster) as storm:
        app = dashboard_app(poller, SETTINGS)
        app.animation_level = "none"
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("4")
            tree = app.screen.query_one(LockTree)
            await until(pilot, lambda: len(tree.root.children) == 2, timeout=30)
            roots = {node.data.pid: node for node in tree.root.children if node.data is not None}
            assert set(roots) == {storm.chain[0], storm.hub_blocker}
            hub = roots[storm.hub_blocker]
            assert {n.data.pid for n in hub.children if n.data is not None} == storm.hub_waiters
            assert all(not n.children for n in hub.children)
            assert f"blocks {HUB_WAITERS}" in str(hub.label)
            assert _chain_below(roots[storm.chain[0]]) == storm.chain
            assert f"blocks {CHAIN_DEPTH - 1}" in str(roots[storm.chain[0]].label)
            summary = f"{CHAIN_DEPTH - 1 + HUB_WAITERS} sessions waiting behind 2 root blockers"
            assert summary in _summary(app.screen.query_one("#locks-pane"))

            # Still answering: walk down the tree, switch to Activity and back, while it polls.
            for _ in range(30):
                await pilot.press("down")
            await pilot.pause()
            assert tree.cursor_line == 30
            await pilot.press("2")
            activity = app.screen.query_one(ActivityPane)
            await until(pilot, lambda: f"/{SESSIONS + 100} connections" in _summary(activity))
            assert int(_summary(activity).split("/")[0]) >= SESSIONS
            await pilot.press("4")
            await until(pilot, lambda: tree.cursor_line == 30 and len(tree.root.children) == 2)
