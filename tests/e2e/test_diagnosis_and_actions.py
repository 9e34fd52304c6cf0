"""From a slow statement to a built index, through the real app against a real cluster:
`e` plans it, `i` advises, `a` builds the suggestion with progress; and in read-only mode the
same keys plan and advise but nothing is ever written or opened for actions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.pilot import Pilot

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.sandbox.cluster import SandboxCluster
from pgwatch_tui.ui.app import PgWatchApp
from pgwatch_tui.ui.dashboard import MainScreen
from pgwatch_tui.ui.screens.advice import AdviceScreen
from pgwatch_tui.ui.screens.confirm import ConfirmScreen
from pgwatch_tui.ui.screens.plan import PlanScreen
from pgwatch_tui.ui.screens.progress import ProgressScreen
from tests.pg_helpers import execute

DB = "e2e_orders"
LOOKUP = "SELECT id, total FROM orders WHERE customer_id = %s"
SETTINGS = Settings(refresh=0.5, statement_timeout_ms=3000, lock_timeout_ms=300)


@pytest.fixture(scope="module")
def orders_db(cluster: SandboxCluster) -> str:
    execute(cluster.conninfo(), f"DROP DATABASE IF EXISTS {DB}".encode())  # type: ignore[arg-type]
    execute(cluster.conninfo(), f"CREATE DATABASE {DB}".encode())  # type: ignore[arg-type]
    conninfo = cluster.conninfo(dbname=DB)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION pg_stat_statements")
        conn.execute("CREATE EXTENSION hypopg")
        conn.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int, total int)")
        conn.execute(
            "INSERT INTO orders SELECT g, g % 20000, g % 500 FROM generate_series(1, 200000) g"
        )
        conn.execute("VACUUM ANALYZE orders")
    return conninfo


def run_lookups(conninfo: str, count: int = 40) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for customer in range(count):
            conn.execute(LOOKUP, (customer * 7,))


async def until(
    pilot: Pilot[Any], condition: Callable[[], Any], what: str, timeout: float = 30
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(0.1)


async def open_app(conninfo: str, settings: Settings) -> PgWatchApp:
    poller = Poller(ConnTarget(conninfo), settings)
    await poller.connect()
    app = dashboard_app(poller, settings)
    app.animation_level = "none"
    return app


async def find_lookup(pilot: Pilot[Any], app: PgWatchApp) -> None:
    """Statements pane, filtered down to the lookup once its statistics have arrived."""
    await pilot.press("3")
    await until(
        pilot,
        lambda: (
            app.snapshot is not None
            and any("customer_id = $1" in (s.query or "") for s in app.snapshot.statements)
        ),
        "the lookup in pg_stat_statements",
    )
    await pilot.press("slash", *"WHERE", "space", *"customer_id", "enter")
    await pilot.pause()


def ready(app: PgWatchApp, kind: type, attribute: str) -> Callable[[], bool]:
    return lambda: isinstance(app.screen, kind) and getattr(app.screen, attribute) is not None


def pgwatch_sessions(conninfo: str) -> list[str]:
    rows = execute(
        conninfo,
        "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'pgwatch%'",
    )
    return [str(r[0]) for r in rows]


async def test_plan_advise_and_build_the_index(
    orders_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    execute(orders_db, "DROP INDEX IF EXISTS orders_customer_id_idx")
    run_lookups(orders_db)
    app = await open_app(orders_db, SETTINGS)
    async with app.run_test(size=(120, 40)) as pilot:
        await find_lookup(pilot, app)
        await pilot.press("e")
        await until(pilot, ready(app, PlanScreen, "outcome"), "the plan")
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        assert plan.outcome is not None
        assert plan.outcome.error is None
        assert plan.outcome.generic is not None
        assert any(n.node_type == "Seq Scan" for n in plan.outcome.generic.nodes())
        await pilot.press("escape", "i")
        await until(pilot, ready(app, AdviceScreen, "advice"), "the advice", timeout=60)
        advice = app.screen
        assert isinstance(advice, AdviceScreen)
        top = advice.selected
        assert top is not None
        assert top.validated
        assert top.shape.keys == ("customer_id",)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProgressScreen), "the progress screen")
        progress = app.screen
        assert isinstance(progress, ProgressScreen)
        await until(pilot, lambda: progress.outcome is not None, "the build", timeout=60)
        assert progress.outcome is not None
        assert progress.outcome.ok, progress.outcome.message
    valid = execute(
        orders_db,
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE c.relname = %s",
        (top.name,),
    )
    assert valid == [(True,)]
    logged = [
        json.loads(line) for line in (tmp_path / "pgwatch" / "actions.log").read_text().splitlines()
    ]
    assert logged[-1]["action"] == "create index"
    assert logged[-1]["ok"] is True
    assert logged[-1]["sql"] == top.ddl


async def test_read_only_plans_and_advises_but_never_acts(orders_db: str) -> None:
    execute(orders_db, "DROP INDEX IF EXISTS orders_customer_id_idx")
    run_lookups(orders_db)
    settings = SETTINGS.model_copy(update={"read_only": True})
    app = await open_app(orders_db, settings)
    assert app.actions is None  # no runner: no action connection can be opened
    async with app.run_test(size=(120, 40)) as pilot:
        await find_lookup(pilot, app)
        await pilot.press("e")
        await until(pilot, ready(app, PlanScreen, "outcome"), "the plan")
        await pilot.press("A")  # EXPLAIN ANALYZE does not exist here
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("escape", "i")
        await until(pilot, ready(app, AdviceScreen, "advice"), "the advice", timeout=60)
        advice = app.screen
        assert isinstance(advice, AdviceScreen)
        assert advice.advice is not None
        assert advice.advice.suggestions
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        await pilot.press("escape", "5", "R", "2", "K")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "pgwatch action" not in pgwatch_sessions(orders_db)
    assert execute(orders_db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'") == [
        (1,)
    ]  # only the primary key: nothing was built
