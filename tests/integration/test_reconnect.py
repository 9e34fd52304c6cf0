"""A lost monitoring connection: the loop says so, reconnects with backoff and resumes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.monitor import Monitor, next_backoff
from pgwatch_tui.core.source import Connected, Reconnecting, SnapshotTaken, SourceEvent
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.integration.conftest import FAST
from tests.pg_helpers import execute


async def next_event(events: AsyncIterator[SourceEvent], timeout: float = 40) -> SourceEvent:
    return await asyncio.wait_for(anext(events), timeout)


def test_backoff_doubles_up_to_thirty_seconds() -> None:
    assert [next_backoff(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


async def _monitor(cluster: SandboxCluster) -> tuple[Monitor, AsyncIterator[SourceEvent]]:
    poller = Poller(ConnTarget(cluster.conninfo()), FAST)
    await poller.connect()
    monitor = Monitor(poller, refresh_s=0.5)
    events = monitor.events()
    assert isinstance(await next_event(events), Connected)
    assert isinstance(await next_event(events), SnapshotTaken)
    return monitor, events


async def test_terminated_backend_reconnects_and_keeps_history(own_cluster: SandboxCluster) -> None:
    monitor, events = await _monitor(own_cluster)
    try:
        old_pid = monitor.poller.backend_pid
        execute(own_cluster.conninfo(), "SELECT pg_terminate_backend(%s)", (old_pid,))
        seen: list[SourceEvent] = []
        while not (
            seen
            and isinstance(seen[-1], SnapshotTaken)
            and any(isinstance(e, Connected) for e in seen)
        ):
            seen.append(await next_event(events))
        lost = [e for e in seen if isinstance(e, Reconnecting)]
        assert lost
        assert lost[0].retry_in_s == 1
        assert lost[0].attempt == 1
        connected = [e for e in seen if isinstance(e, Connected)]
        assert connected[0].reconnected
        assert monitor.poller.backend_pid != old_pid
        # History survived: the first snapshot after reconnecting has rates again.
        final = seen[-1]
        assert isinstance(final, SnapshotTaken)
        assert final.snapshot.interval_s is not None
    finally:
        await monitor.close()


async def test_server_restart_reconnects_with_backoff(own_cluster: SandboxCluster) -> None:
    monitor, events = await _monitor(own_cluster)
    try:
        own_cluster.stop("fast")
        first = await next_event(events)
        assert isinstance(first, Reconnecting)
        second = await next_event(events)  # the server is still down: the delay doubles
        assert isinstance(second, Reconnecting)
        assert (first.retry_in_s, second.retry_in_s) == (1, 2)
        own_cluster.start()
        later = await next_event(events)
        while isinstance(later, Reconnecting):
            later = await next_event(events)
        assert isinstance(later, Connected)
        assert later.reconnected
        snap = await next_event(events)
        assert isinstance(snap, SnapshotTaken)
        assert snap.snapshot.databases
    finally:
        await monitor.close()


async def test_pause_stops_polling_until_resumed(cluster: SandboxCluster) -> None:
    monitor, events = await _monitor(cluster)
    try:
        monitor.pause()
        pending = asyncio.ensure_future(next_event(events, timeout=60))
        await asyncio.sleep(1.5)
        # One tick may already have been under way when pause was asked for.
        if pending.done():
            pending = asyncio.ensure_future(next_event(events, timeout=60))
            await asyncio.sleep(1.5)
        assert not pending.done()
        monitor.resume()
        assert isinstance(await asyncio.wait_for(pending, 10), SnapshotTaken)
    finally:
        await monitor.close()


async def test_poll_now_forces_a_slow_probe(cluster: SandboxCluster) -> None:
    monitor, events = await _monitor(cluster)
    try:
        monitor.set_refresh(30)
        monitor.poll_now(frozenset({"tables"}))
        event = await next_event(events, timeout=10)
        assert isinstance(event, SnapshotTaken)
        assert event.snapshot.probes["tables"].collected_at == event.snapshot.taken_at
    finally:
        await monitor.close()
