"""How long the plan screen takes to show a 500-node plan: parsing EXPLAIN's JSON, building
the tree and drawing it, in the real app (headless)."""

from __future__ import annotations

import statistics
import time

import psycopg

from pgwatch_tui.core.conninfo import ConnTarget
from pgwatch_tui.core.plan import ExplainOutcome, parse_plan
from pgwatch_tui.core.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.ui.screens.plan import PlanScreen, PlanTree

NODES = 500
RUNS = 5


def _big_query(nodes: int) -> str:
    # An Append over nodes - 1 one-row scans: a real plan with `nodes` nodes.
    return " UNION ALL ".join(f"SELECT {n} AS n" for n in range(nodes - 1))


async def measure_plan_render(conninfo: str) -> tuple[float, int]:
    """(median ms from EXPLAIN JSON to the drawn plan screen, nodes in the plan)."""
    query = _big_query(NODES)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        cur = await conn.execute(f"EXPLAIN (FORMAT JSON, VERBOSE) {query}".encode())
        row = await cur.fetchone()
    assert row is not None
    document = row[0]
    settings = Settings()
    poller = Poller(ConnTarget(conninfo), settings)
    await poller.connect()
    app = dashboard_app(poller, settings)
    app.animation_level = "none"
    times: list[float] = []
    nodes = 0
    async with app.run_test(size=(200, 50)) as pilot:
        while app.snapshot is None:
            await pilot.pause(0.05)
        app.source.pause()  # the plan screen's own cost, not a dashboard refresh meanwhile
        await pilot.pause(0.5)
        for _ in range(RUNS):
            began = time.perf_counter()
            plan = parse_plan(document)
            outcome = ExplainOutcome(query=query, method="EXPLAIN", generic=plan)

            async def ready(outcome: ExplainOutcome = outcome) -> ExplainOutcome:
                return outcome

            screen = PlanScreen("benchmark", ready)
            await app.push_screen(screen)
            while screen.outcome is None or not screen.query(PlanTree):
                await pilot.pause(0.001)
            await pilot.pause()
            times.append((time.perf_counter() - began) * 1000)
            tree = screen.query_one(PlanTree)
            nodes = sum(1 for _ in _walk(tree.root))
            await app.pop_screen()
            await pilot.pause()
    await poller.close()
    return statistics.median(times), nodes


def _walk(node: object) -> list[object]:
    found = []
    stack = list(getattr(node, "children", []))
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(getattr(current, "children", []))
    return found
