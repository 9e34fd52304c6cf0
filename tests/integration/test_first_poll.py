"""The first poll starts before the dashboard exists: its snapshot, or its failure, is the
first thing the monitor reports after the connection."""

from __future__ import annotations

import asyncio

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.monitor import Monitor
from pgwatch_tui.core.source import Connected, Reconnecting, SnapshotTaken
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.integration.conftest import FAST
from tests.integration.test_reconnect import next_event
from tests.pg_helpers import execute


async def _connected_monitor(cluster: SandboxCluster) -> Monitor:
    poller = Poller(ConnTarget(cluster.conninfo()), FAST)
    await poller.connect()
    return Monitor(poller, refresh_s=60)


async def test_the_early_snapshot_is_the_first_one_reported(cluster: SandboxCluster) -> None:
    monitor = await _connected_monitor(cluster)
    try:
        monitor.start_first_poll()
        await monitor.first_poll_done(within_s=30)
        events = monitor.events()
        assert isinstance(await next_event(events), Connected)
        first = await next_event(events)
        assert isinstance(first, SnapshotTaken)
        assert first.snapshot.databases
        # Reported at once, not a refresh interval (60 s here) later, and not polled twice.
        assert first.snapshot.interval_s is None
        monitor.poll_now()
        second = await next_event(events, timeout=30)
        assert isinstance(second, SnapshotTaken)
        assert second.snapshot.interval_s is not None
    finally:
        await monitor.close()


async def test_a_slow_first_poll_does_not_hold_the_screen_back(cluster: SandboxCluster) -> None:
    monitor = await _connected_monitor(cluster)
    blocker = asyncio.create_task(_hold_poller_lock(monitor, seconds=2.0))
    await asyncio.sleep(0.1)
    try:
        monitor.start_first_poll()
        loop = asyncio.get_running_loop()
        began = loop.time()
        await monitor.first_poll_done(within_s=0.2)
        assert loop.time() - began < 1.5  # gave up waiting; the poll goes on
        events = monitor.events()
        assert isinstance(await next_event(events), Connected)
        assert isinstance(await next_event(events), SnapshotTaken)
    finally:
        await blocker
        await monitor.close()


async def _hold_poller_lock(monitor: Monitor, seconds: float) -> None:
    """Stands in for a server slow to answer: the poll waits for the session."""
    async with monitor.poller.borrow():
        await asyncio.sleep(seconds)


async def test_a_failed_first_poll_is_reported_once_then_reconnects(
    cluster: SandboxCluster,
) -> None:
    monitor = await _connected_monitor(cluster)
    try:
        execute(
            cluster.conninfo(), "SELECT pg_terminate_backend(%s)", (monitor.poller.backend_pid,)
        )
        monitor.start_first_poll()
        await monitor.first_poll_done(within_s=30)
        events = monitor.events()
        # The poll found the session gone, so the first word is that, not "connected".
        lost = await next_event(events)
        assert isinstance(lost, Reconnecting)
        assert lost.attempt == 1
        back = await next_event(events)
        assert isinstance(back, Connected)
        assert back.reconnected
        assert isinstance(await next_event(events), SnapshotTaken)
    finally:
        await monitor.close()


async def test_closing_with_the_first_poll_under_way_leaves_nothing_behind(
    cluster: SandboxCluster,
) -> None:
    monitor = await _connected_monitor(cluster)
    monitor.start_first_poll()
    await monitor.close()  # before the poll could finish: cancelled, its outcome dropped
    assert not monitor.poller.connected
