"""Read-only means read-only, proven by the server's own log.

The demo cluster runs with log_statement = 'all' and log_connections. pgwatch runs in
--read-only mode while every key is pressed on every pane and screen, the write actions
included. Then every statement pgwatch's sessions sent is read back from the log and must be a
read: SELECT, SHOW, SET of a session setting, BEGIN / COMMIT / ROLLBACK, SAVEPOINT / RELEASE,
PREPARE / DEALLOCATE, or EXPLAIN without ANALYZE; and no action session ever connected.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.sandbox.binaries import PgInstall
from pgwatch_tui.sandbox.cluster import ClusterOptions
from pgwatch_tui.sandbox.demo import Demo
from pgwatch_tui.ui.app import PgWatchApp
from pgwatch_tui.ui.dashboard import MainScreen
from pgwatch_tui.ui.screens.advice import AdviceScreen
from pgwatch_tui.ui.screens.plan import PlanScreen

SETTINGS = Settings(refresh=0.5, read_only=True, statement_timeout_ms=5000)
# Every key a pane or a screen knows, write actions first: none of them may write.
PANE_KEYS = ("c", "K", "R", "D", "a", "A", "e", "i", "v", "r", "t", "I", "s", "S", "y")
SCREEN_KEYS = ("A", "a", "y", "enter", "c", "D")
ENTRY = re.compile(
    r"^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[(?P<pid>\d+)\] app=(?P<app>\S*) user=\S* "
    r"(?P<level>[A-Z]+):  (?P<message>.*)$"
)
STATEMENT = re.compile(r"^(?:statement|execute [^:]+): (?P<sql>.*)$", re.S)
READS = (
    "SELECT",
    "SHOW",
    "SET",
    "RESET",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "PREPARE",
    "DEALLOCATE",
    "EXPLAIN",
    "WITH",
)


# Functions a SELECT can call that act on the server (signals, resets, sequences, config).
SIDE_EFFECTS = re.compile(
    r"\b(PG_(?:CANCEL|TERMINATE)_BACKEND|PG_STAT_(?:STATEMENTS_)?RESET\w*|PG_RELOAD_CONF|"
    r"NEXTVAL|SETVAL|PG_ROTATE_LOGFILE|PG_SWITCH_WAL|LO_\w+|PG_ADVISORY\w*)\s*\("
)


def log_entries(text: str) -> Iterator[dict[str, str]]:
    """Log entries, each with the lines that continue it (multi-line statements)."""
    current: dict[str, str] | None = None
    for line in text.splitlines():
        match = ENTRY.match(line)
        if match:
            if current is not None:
                yield current
            current = match.groupdict()
        elif current is not None:
            current["message"] += "\n" + line
    if current is not None:
        yield current


def first_words(sql: str) -> str:
    """The statement without its leading comments, upper-cased, on one line."""
    body = re.sub(r"^(\s*--[^\n]*\n)+", "", sql).strip()
    return " ".join(body.split()).upper()


def why_not_a_read(sql: str) -> str | None:
    words = first_words(sql)
    keyword = words.split(" ", 1)[0].rstrip(";")
    if keyword not in READS:
        return f"{keyword} is not a read"
    if keyword == "EXPLAIN":
        options = re.match(r"EXPLAIN\s*\(([^)]*)\)", words)
        if options and "ANALYZE" in options.group(1):
            return "EXPLAIN ANALYZE runs the statement"
    if keyword == "WITH" and re.search(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", words):
        return "a data-modifying WITH"
    if re.search(r"READ\s+WRITE|READ_ONLY\W+(TO|=)\W*OFF|'READ_ONLY', 'OFF'", words):
        return "it asks for a read-write transaction"
    if side_effect := SIDE_EFFECTS.search(words):
        return f"{side_effect.group(1).lower()} changes the server"
    return None


async def press_everything(pilot: Pilot[Any], app: PgWatchApp) -> int:
    pressed = 0

    async def back_to_main() -> None:
        for _ in range(4):
            if isinstance(app.screen, MainScreen):
                return
            await pilot.press("escape")
            await pilot.pause(0.1)

    async def settled() -> None:
        """Until a plan or advice screen has its result (or a few seconds have passed)."""
        for _ in range(100):
            screen = app.screen
            busy = (isinstance(screen, PlanScreen) and screen.outcome is None) or (
                isinstance(screen, AdviceScreen) and screen.advice is None
            )
            if not busy:
                return
            await pilot.pause(0.1)

    for pane in "123456":
        await pilot.press(pane)
        await pilot.pause(0.6)
        if pane == "3":  # the slow lookup: the statement that gets plans and advice
            await pilot.press("slash", *"WHERE", "space", *"customer_id", "enter")
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("y")
        await back_to_main()
        for key in PANE_KEYS:
            await pilot.press(key)
            pressed += 1
            await pilot.pause(0.2)
            await settled()
            if not isinstance(app.screen, MainScreen):
                for inner in SCREEN_KEYS:
                    await pilot.press(inner)
                    pressed += 1
                    await pilot.pause(0.2)
                    await settled()
            await back_to_main()
    for key in ("w", "question_mark", "space", "space", "plus", "minus"):
        await pilot.press(key)
        await pilot.pause(0.2)
        await back_to_main()
    return pressed


@pytest.fixture
def logged_demo(pg_install: PgInstall) -> Iterator[Demo]:
    options = ClusterOptions(log_statement="all", settings={"log_connections": "on"})
    with Demo(pg_install, options) as demo:
        time.sleep(4)  # the demo's lock chain, idle transaction and statements appear
        yield demo


async def test_read_only_sends_nothing_but_reads(logged_demo: Demo) -> None:
    cluster = logged_demo.cluster
    assert cluster is not None
    poller = Poller(logged_demo.target, SETTINGS)
    await poller.connect()
    app = dashboard_app(poller, SETTINGS)
    app.animation_level = "none"
    assert app.actions is None
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(1.5)
        pressed = await press_everything(pilot, app)
        await pilot.press("q")
    await asyncio.sleep(0.5)  # the last statements reach the log
    entries = list(log_entries(cluster.log_text()))
    ours = [e for e in entries if e["app"].startswith("pgwatch")]
    statements = [m["sql"] for e in ours if (m := STATEMENT.match(e["message"]))]
    assert pressed > 100
    assert len(statements) > 200, "pgwatch's statements should be in the log"
    # Plans and advice ran: they are the ones that could have written.
    assert any(first_words(s).startswith("EXPLAIN") for s in statements)
    assert any("HYPOPG_CREATE_INDEX" in first_words(s) for s in statements)
    offending = [f"{why}: {first_words(s)[:160]}" for s in statements if (why := why_not_a_read(s))]
    assert offending == []
    assert not any(e["app"] == "pgwatch action" for e in entries)
    connections = [e for e in entries if "connection authorized" in e["message"]]
    assert connections, "log_connections must show the sessions"
    assert not any("pgwatch action" in e["message"] for e in connections)


@pytest.mark.parametrize(
    ("sql", "verdict"),
    [
        ("-- Probe: sessions\nSELECT pid FROM pg_stat_activity", None),
        ("BEGIN READ ONLY", None),
        ("EXPLAIN (GENERIC_PLAN, VERBOSE, SETTINGS, FORMAT JSON) DELETE FROM t", None),
        ("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT 1", "EXPLAIN ANALYZE runs the statement"),
        ('CREATE INDEX CONCURRENTLY "i" ON "t" ("c")', "CREATE is not a read"),
        ("REINDEX INDEX CONCURRENTLY i", "REINDEX is not a read"),
        ("SELECT pg_terminate_backend(42)", "pg_terminate_backend changes the server"),
        (
            "SELECT pg_catalog.pg_stat_statements_reset()",
            "pg_stat_statements_reset changes the server",
        ),
        ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "a data-modifying WITH"),
        ("SET default_transaction_read_only = off", "it asks for a read-write transaction"),
        ("BEGIN READ WRITE", "it asks for a read-write transaction"),
    ],
)
def test_the_read_check_itself(sql: str, verdict: str | None) -> None:
    assert why_not_a_read(sql) == verdict
