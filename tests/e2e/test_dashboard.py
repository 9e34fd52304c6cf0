"""The whole app, driven by Pilot, against a real throwaway cluster."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.monitor import Monitor
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.cluster import SandboxCluster
from pgwatch_tui.ui.app import PgWatchApp
from pgwatch_tui.ui.panes.locks import LockTree
from pgwatch_tui.ui.screens.session import SessionScreen
from tests.pg_helpers import idle_in_transaction, lock_chain
from tests.terminal import screen_text

SETTINGS = Settings(refresh=0.5, statement_timeout_ms=1500, lock_timeout_ms=300)


async def real_app(cluster: SandboxCluster) -> PgWatchApp:
    poller = Poller(ConnTarget(cluster.conninfo()), SETTINGS)
    await poller.connect()
    app = PgWatchApp(Monitor(poller, SETTINGS.refresh), SETTINGS)
    app.animation_level = "none"
    return app


async def until(pilot: Pilot[int], condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the dashboard never showed it")
        await pilot.pause(0.1)


async def test_locks_pane_shows_the_root_blocker_with_its_victims(cluster: SandboxCluster) -> None:
    with lock_chain(cluster.conninfo(), 3, table="e2e_chain") as chain:
        app = await real_app(cluster)
        async with app.run_test(size=(140, 30)) as pilot:
            await pilot.press("4")
            tree = app.screen.query_one(LockTree)
            await until(pilot, lambda: bool(tree.root.children))
            root = tree.root.children[0]
            assert root.data is not None
            assert root.data.pid == chain.pids[0]
            first = root.children[0]
            second = first.children[0]
            assert first.data is not None
            assert second.data is not None
            assert (first.data.pid, second.data.pid) == (chain.pids[1], chain.pids[2])
            assert "wants ShareLock on e2e_chain" in str(first.label)
            assert "blocks 2" in str(root.label)
            # Drill down from the tree into the root blocker.
            tree.move_cursor(root)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            await until(
                pilot,
                lambda: isinstance(app.screen, SessionScreen) and app.screen.session is not None,
            )
            await pilot.press("q")


async def test_activity_shows_a_real_idle_transaction_and_header(cluster: SandboxCluster) -> None:
    with idle_in_transaction(cluster.conninfo(), application="e2e-idle") as pid:
        app = await real_app(cluster)
        async with app.run_test(size=(140, 30)) as pilot:
            await pilot.press("2")
            await until(
                pilot,
                lambda: (
                    app.snapshot is not None and any(s.pid == pid for s in app.snapshot.sessions)
                ),
            )
            pane = app.screen.query_one("#activity-pane")
            await until(pilot, lambda: str(pid) in pane._shown_by_key)  # type: ignore[attr-defined]
            row = pane._shown_by_key[str(pid)]  # type: ignore[attr-defined]
            assert row.cells["state"].text == "idle in tx"
            assert row.cells["application"].text == "e2e-idle"
            state = app.header_state
            assert state is not None
            assert state.snapshot is not None
            assert state.capabilities is not None
            await pilot.press("q")


async def test_server_restart_shows_reconnecting_and_resumes_with_history(
    own_cluster: SandboxCluster,
) -> None:
    app = await real_app(own_cluster)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: len(app.history) >= 3)
        before = len(app.history)
        first_point = app.history.points("commits")[0]
        await asyncio.to_thread(own_cluster.stop, "fast")
        await until(pilot, lambda: app.header_state.reconnecting is not None)
        shown = screen_text(app.export_screenshot())
        assert "reconnecting" in shown
        await asyncio.to_thread(own_cluster.start)
        await until(pilot, lambda: app.header_state.reconnecting is None, timeout=30)
        await until(pilot, lambda: len(app.history) > before + 1)
        # The charts kept what came before the restart, and the panes fill again.
        assert app.history.points("commits")[0] == first_point
        await pilot.press("2")
        await pilot.pause(0.5)
        assert "reconnecting" not in screen_text(app.export_screenshot())
