"""How long the plan screen takes to show a 500-node plan: parsing EXPLAIN's JSON, building
the tree and drawing it, in the real app (headless).

The plan screen is open ("planning…") when the clock starts, as it is while EXPLAIN runs;
the clock starts when EXPLAIN's JSON is handed over. Two readings per run, both up to the
moment the app goes idle after showing the plan:
- to the last frame: wall time from the start to the last frame the app painted. Waiting
  for idle (Pilot checks every 20 ms) is not in it; that wait is the harness, not the app.
- CPU: the process's CPU time over the same run, idle wait included (it costs none)."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import psycopg
from rich.console import RenderableType
from textual.screen import Screen

from pgwatch_tui.core import gc_policy
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.diagnose.plan import ExplainOutcome, parse_plan
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.ui.app import PgWatchApp
from pgwatch_tui.ui.screens.plan import PlanScreen, PlanTree

NODES = 500
RUNS = 5


def _big_query(nodes: int) -> str:
    # An Append over nodes - 1 one-row scans: a real plan with `nodes` nodes.
    return " UNION ALL ".join(f"SELECT {n} AS n" for n in range(nodes - 1))


@dataclass(frozen=True)
class PlanFigures:
    to_last_frame_ms: float  # medians over RUNS
    cpu_ms: float
    nodes: int


class _FrameClock:
    """When the app last painted a frame (App._display is called once per frame)."""

    def __init__(self, app: PgWatchApp) -> None:
        self.last = 0.0
        self._display = app._display
        app._display = self.display  # type: ignore[method-assign]

    def display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        if renderable is not None:
            self.last = time.perf_counter()
        self._display(screen, renderable)


async def measure_plan_render(conninfo: str) -> PlanFigures:
    """Median time from EXPLAIN's JSON to the drawn plan screen, and the nodes shown."""
    query = _big_query(NODES)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        cur = await conn.execute(f"EXPLAIN (FORMAT JSON, VERBOSE) {query}".encode())
        row = await cur.fetchone()
    assert row is not None
    document = row[0]
    settings = Settings()
    poller = Poller(ConnTarget(conninfo), settings)
    await poller.connect()
    gc_policy.pause_for_start_up()  # as the pgwatch command starts (cli.main)
    app = dashboard_app(poller, settings)
    app.animation_level = "none"
    walls: list[float] = []
    cpus: list[float] = []
    nodes = 0
    frames = _FrameClock(app)
    async with app.run_test(size=(200, 50)) as pilot:
        while app.snapshot is None:
            await pilot.pause(0.05)
        app.source.pause()  # the plan screen's own cost, not a dashboard refresh meanwhile
        await pilot.pause(0.5)
        for _ in range(RUNS):
            explained = asyncio.Event()
            began, cpu = 0.0, 0.0

            # As in use: the screen opens and shows "planning…" while EXPLAIN runs; the
            # clock starts when EXPLAIN's JSON arrives.
            async def explain(explained: asyncio.Event = explained) -> ExplainOutcome:
                await explained.wait()
                plan = parse_plan(document)
                return ExplainOutcome(query=query, method="EXPLAIN", generic=plan)

            screen = PlanScreen("benchmark", explain)
            await app.push_screen(screen)
            await pilot.pause()
            began, cpu = time.perf_counter(), time.process_time()
            explained.set()
            while screen.outcome is None or not screen.query(PlanTree):
                await pilot.pause(0.001)
            await pilot.pause()
            walls.append((frames.last - began) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            tree = screen.query_one(PlanTree)
            nodes = sum(1 for _ in _walk(tree.root))
            await app.pop_screen()
            await pilot.pause()
    await poller.close()
    gc_policy.resume()
    return PlanFigures(statistics.median(walls), statistics.median(cpus), nodes)


def _walk(node: object) -> list[object]:
    found = []
    stack = list(getattr(node, "children", []))
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(getattr(current, "children", []))
    return found
