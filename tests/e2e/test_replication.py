"""The Replication pane in the real app, on a real primary with a streaming standby and a
forgotten slot: the header warns, `7` lists it, `D` drops it on the server; connected to the
standby, the header says so and the pane shows the WAL receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.sandbox.binaries import PgInstall
from pgwatch_tui.sandbox.cluster import SandboxCluster, sandbox_cluster
from pgwatch_tui.ui.app import PgWatchApp
from pgwatch_tui.ui.panes.replication import ReplicationPane
from pgwatch_tui.ui.screens.confirm import ConfirmScreen
from pgwatch_tui.views.header import header_segments
from tests.e2e.test_dashboard import until
from tests.pg_helpers import execute

SETTINGS = Settings(refresh=0.5, tables_interval_s=1, statement_timeout_ms=3000)
FORGOTTEN = "e2e_forgotten"


@pytest.fixture(scope="module")
def pair(pg_install: PgInstall) -> Iterator[tuple[SandboxCluster, SandboxCluster]]:
    with sandbox_cluster(pg_install) as primary:
        execute(
            primary.conninfo(), f"SELECT pg_create_physical_replication_slot('{FORGOTTEN}', true)"
        )
        standby = SandboxCluster.standby_of(primary, slot="e2e_standby")
        try:
            yield primary, standby
        finally:
            standby.destroy()


async def app_on(server: SandboxCluster) -> PgWatchApp:
    poller = Poller(ConnTarget(server.conninfo()), SETTINGS)
    await poller.connect()
    app = dashboard_app(poller, SETTINGS)
    app.animation_level = "none"
    return app


def header_text(app: PgWatchApp) -> str:
    state = app.header_state
    return " │ ".join(s.text for s in header_segments(state)) if state else ""


def shown_keys(app: PgWatchApp) -> dict[str, object]:
    return app.screen.query_one(ReplicationPane)._shown_by_key  # type: ignore[return-value]


async def test_the_forgotten_slot_warns_and_d_drops_it(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    primary, _ = pair
    app = await app_on(primary)
    async with app.run_test(size=(140, 30)) as pilot:
        await until(pilot, lambda: f"⚠ slot {FORGOTTEN} unused, keeps" in header_text(app))
        await pilot.press("7")
        await until(pilot, lambda: "standby:" in " ".join(shown_keys(app)))
        pane = app.screen.query_one(ReplicationPane)
        assert pane.table.selected_key == f"slot:{FORGOTTEN}"
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.check.allowed
        assert any("frees about" in w for w in confirm.check.warnings)
        await pilot.press("enter")
        gone = f"SELECT 1 FROM pg_replication_slots WHERE slot_name = '{FORGOTTEN}'"
        await until(pilot, lambda: not execute(primary.conninfo(), gone))
        await until(pilot, lambda: f"slot:{FORGOTTEN}" not in shown_keys(app))
        assert "⚠ slot" not in header_text(app)
        await pilot.press("q")


async def test_on_the_standby_the_header_says_so_and_the_receiver_streams(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    _, standby = pair
    app = await app_on(standby)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("7")
        await until(pilot, lambda: "receiver" in shown_keys(app))
        assert "standby" in header_text(app).split(" │ ")
        row = shown_keys(app)["receiver"]
        assert row.cells["state"].text == "streaming"  # type: ignore[attr-defined]
        await pilot.press("q")
