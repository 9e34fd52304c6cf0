"""`pgwatch --demo`'s database and workload light up everything pgwatch shows."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.model.snapshot import ProbeState, Snapshot
from pgwatch_tui.sandbox.binaries import PgInstall
from pgwatch_tui.sandbox.demo import Demo
from tests.integration.conftest import FAST


@pytest.fixture(scope="module")
def demo(pg_install: PgInstall) -> Iterator[Demo]:
    with Demo(pg_install) as running:
        yield running


async def _snapshot(demo: Demo) -> tuple[Snapshot, Poller]:
    poller = Poller(demo.target, FAST)
    await poller.connect()
    try:
        await poller.poll()
        await asyncio.sleep(1.0)
        return await poller.poll(), poller
    finally:
        await poller.close()


def _chain_length(snapshot: Snapshot) -> int:
    blocked_by = {w.pid: w.blocking_pids for w in snapshot.lock_waits}
    longest = 0
    for pid in blocked_by:
        length, current = 1, pid
        while current in blocked_by and length < 10:
            current = blocked_by[current][0]
            length += 1
        longest = max(longest, length)
    return longest


async def test_demo_workload_lights_up_every_pane(demo: Demo) -> None:
    deadline = time.monotonic() + 30
    snapshot, poller = await _snapshot(demo)
    while _chain_length(snapshot) < 3 and time.monotonic() < deadline:
        snapshot, poller = await _snapshot(demo)
    assert _chain_length(snapshot) == 3, snapshot.lock_waits
    apps = {s.application for s in snapshot.sessions}
    assert {"shop-web", "nightly-report", "billing-batch", "shop-admin"} <= apps
    assert any(s.state == "idle in transaction" for s in snapshot.sessions)
    busy = [d for d in snapshot.statement_deltas if d.calls > 0]
    assert busy, "statements must have per-interval deltas"
    texts = " ".join(s.query or "" for s in snapshot.statements)
    assert "FROM orders WHERE customer_id" in texts
    assert snapshot.capabilities.warnings == ()
    assert snapshot.capabilities.hypopg is not None
    assert snapshot.capabilities.pgstattuple is not None
    names = {i.name for i in snapshot.indexes}
    assert {"customers_country_idx", "customers_country_idx1", "customers_created_at_idx"} <= names
    events = next(t for t in snapshot.tables if t.name == "events")
    assert events.table_bytes > 3 * events.n_live_tup * 50  # far more space than live rows use
    # Only one session is focused at a time, and with every session listed none is counted.
    polled = {n: s for n, s in snapshot.probes.items() if n not in ("session_locks", "idle_count")}
    assert all(s.state is ProbeState.OK for s in polled.values()), snapshot.probes
    assert poller.label.endswith("/shop")
