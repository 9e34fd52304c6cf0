"""The hostile corpus on a real server: roles, application names, tables, indexes and query
texts (one of them a megabyte) made from it. pgwatch reads them intact, shows them literally,
lets no escape sequence reach the terminal, and quotes them right in the DDL it runs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import pq, sql
from psycopg.conninfo import make_conninfo

from pgwatch_tui.core.act.audit import AuditLog
from pgwatch_tui.core.act.requests import drop_request, reindex_request
from pgwatch_tui.core.act.runner import ActionRunner
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.runner import dashboard_app
from pgwatch_tui.sandbox.binaries import PgInstall
from pgwatch_tui.sandbox.cluster import SandboxCluster, sandbox_cluster
from pgwatch_tui.ui.screens.plan import PlanScreen
from tests import hostile
from tests.e2e.test_dashboard import until
from tests.pg_fixtures import connected_poller, create_extensions
from tests.pg_helpers import LockChain, execute, lock_chain
from tests.terminal import pgwatch_on_a_terminal, screen_text

# One worker builds the hostile cluster and runs every test on it.
pytestmark = pytest.mark.xdist_group("hostile_cluster")

SETTINGS = Settings(refresh=0.5, statement_timeout_ms=3000, lock_timeout_ms=300)
CHAIN_TABLE = '[bold]chain[/bold] "rows"'
HUGE_TABLE = "huge query target"
INVALID_APP_SHOWN_PREFIX = "bad"

# What a payload would look like had it reached the terminal.
ESCAPE_PAYLOADS = (
    b"\x1b]52;",  # OSC 52 clipboard write
    b"\x1b]0;pwned",  # window title
    b"\x1b]8;;https://evil",  # hyperlink
    b"\x1bP+q",  # DCS request
    b"\x1b[10;10Hmoved",
    b"\x1b[2J\x1b[Hcleared",
    b"\xc2\x9b31mred8",  # 8-bit CSI
    b"ring\x07ring",
    "\u202eevil".encode(),
)


def index_name(h: hostile.Hostile) -> str:
    return h.text + " ix"


def query_table(n: int) -> str:
    return f"hostile query {n}"


def _create_objects(conninfo: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for h in hostile.identifiers():
            name = sql.Identifier(h.text)
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(name))
            conn.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(name))
            conn.execute(sql.SQL("CREATE TABLE {} (id int PRIMARY KEY, k int)").format(name))
            conn.execute(
                sql.SQL("INSERT INTO {} SELECT g, g % 7 FROM generate_series(1, 500) g").format(
                    name
                )
            )
            conn.execute(
                sql.SQL("CREATE INDEX {} ON {} (k)").format(sql.Identifier(index_name(h)), name)
            )
            conn.execute(sql.SQL("GRANT ALL ON {} TO PUBLIC").format(name))
        for n, h in enumerate(hostile.comments()):
            table = sql.Identifier(query_table(n))
            conn.execute(sql.SQL("CREATE TABLE {} (k int)").format(table))
            # Comments are kept in pg_stat_statements' text; the table makes the query distinct.
            text = f"SELECT /* {h.text} */ count(*), pg_sleep(0.01) FROM {table.as_string(conn)}"
            conn.execute(text.encode())
        conn.execute(sql.SQL("CREATE TABLE {} (k int)").format(sql.Identifier(HUGE_TABLE)))
        huge = hostile.huge_query(sql.Identifier(HUGE_TABLE).as_string(conn))
        conn.execute(huge.encode())
        conn.execute("ANALYZE")


@pytest.fixture(scope="module")
def hostile_cluster(pg_install: PgInstall) -> Iterator[SandboxCluster]:
    with sandbox_cluster(pg_install) as made:
        create_extensions(made.conninfo(), pg_install)
        _create_objects(made.conninfo())
        yield made


@contextlib.contextmanager
def hostile_sessions(cluster: SandboxCluster) -> Iterator[LockChain]:
    """An idle session per hostile role (its name also its application_name, its last query
    commented with it), one with invalid UTF-8 in application_name, and a lock chain on a
    table named in Rich markup, run by a hostile role."""
    base = cluster.conninfo()
    conns: list[psycopg.Connection[tuple[object, ...]]] = []
    raw = pq.PGconn.connect(
        base.encode() + b" application_name='" + hostile.INVALID_UTF8_APPLICATION_NAME + b"'"
    )
    assert raw.status == pq.ConnStatus.OK, raw.get_error_message()
    try:
        for h in hostile.identifiers():
            conn = psycopg.connect(
                make_conninfo(base, user=h.text, application_name=h.text), autocommit=True
            )
            conns.append(conn)
            comment = h.text if h.fits_a_comment else h.name
            conn.execute(f"SELECT /* {comment} */ 1".encode())
        chain_user = next(h.text for h in hostile.identifiers() if h.name == "osc52_clipboard")
        with lock_chain(make_conninfo(base, user=chain_user), 3, table=CHAIN_TABLE) as chain:
            yield chain
    finally:
        for conn in conns:
            conn.close()
        raw.finish()


@pytest.fixture
async def poller(hostile_cluster: SandboxCluster) -> AsyncIterator[Poller]:
    async with connected_poller(hostile_cluster.conninfo(), SETTINGS) as made:
        yield made


async def test_pgwatch_reads_every_hostile_string_intact(
    hostile_cluster: SandboxCluster, poller: Poller
) -> None:
    with hostile_sessions(hostile_cluster) as chain:
        await poller.poll()
        snap = await poller.poll()
    users = {s.user for s in snap.sessions}
    assert {h.text for h in hostile.identifiers()} <= users
    applications = {s.application for s in snap.sessions}
    assert any(a.startswith(INVALID_APP_SHOWN_PREFIX) and a.endswith("app") for a in applications)
    texts = [s.query for s in snap.statements]
    for h in hostile.comments():
        assert any(f"/* {h.text} */" in t for t in texts), h.name
    # The megabyte-long text is there, cut to the configured length.
    assert max(len(t) for t in texts) == SETTINGS.statement_text_max_chars
    waits = {w.pid: w for w in snap.lock_waits}
    assert waits[chain.pids[1]].blocking_pids == [chain.pids[0]]
    # Named as SQL would name it: quoted, so that it can be pasted into a statement.
    assert waits[chain.pids[1]].relation == '"[bold]chain[/bold] ""rows"""'


def _forbidden_on_screen(shown: str) -> list[str]:
    """Control and direction characters in a screenshot's text (its own line breaks aside)."""
    bad = [c for c in shown if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    bad += [c for c in shown if c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
    return [f"U+{ord(c):04X}" for c in bad]


async def test_every_pane_shows_hostile_text_literally(
    hostile_cluster: SandboxCluster, poller: Poller
) -> None:
    app = dashboard_app(poller, SETTINGS)
    app.animation_level = "none"
    shown: dict[str, str] = {}
    with hostile_sessions(hostile_cluster):
        async with app.run_test(size=(240, 60)) as pilot:
            await until(pilot, lambda: app.snapshot is not None and bool(app.snapshot.statements))
            for keys in ("1", "2I", "3", "4", "5", "6", "w"):
                for key in keys:
                    await pilot.press(key)
                await pilot.pause(1.2)
                shown[keys] = screen_text(app.export_screenshot())
                if keys == "w":
                    await pilot.press("escape")
            # The megabyte-long statement drills down to its plan screen, which says why it
            # cannot be planned (its text was cut) instead of a syntax error.
            await pilot.press("3", "slash", *"xxxxxxxx", "enter", "e")
            await until(
                pilot,
                lambda: isinstance(app.screen, PlanScreen) and app.screen.outcome is not None,
                timeout=10,
            )
            await pilot.pause(0.5)
            shown["plan"] = screen_text(app.export_screenshot())
            assert app.is_running  # no markup ([@click=app.quit]) or text made it quit
    for where, text in shown.items():
        assert _forbidden_on_screen(text) == [], where
    everything = "".join(shown.values())
    for literal in ("[bold]bold[/bold]", "[@click=app.quit]quit[/]", "unbalanced [/]", "it's"):
        assert literal in everything, literal
    assert '"[bold]chain[/bold] ""rows"""' in shown["4"]  # the Locks pane names the table
    assert "No plan: the statement's text is cut at statement_text_max_chars" in shown["plan"]


def test_no_hostile_escape_reaches_a_real_terminal(hostile_cluster: SandboxCluster) -> None:
    with (
        hostile_sessions(hostile_cluster),
        pgwatch_on_a_terminal([hostile_cluster.conninfo()], columns=200, lines=50) as term,
    ):
        term.wait_for(b"commits/s")
        term.press_until("2", "idle hidden")
        screens = []
        for key in ("I", "3", "4", "5", "6"):
            term.type(key, settle_s=1.2)
            screens.append(term.screen.text())
        term.type("q", settle_s=0.5)
        assert term.exited_within(5.0) == 0
    output = bytes(term.output)
    assert any("[bold]bold[/bold]" in screen for screen in screens)  # drawn, as text
    for payload in ESCAPE_PAYLOADS:
        assert payload not in output, payload


async def test_reindex_and_drop_of_every_hostile_index(
    hostile_cluster: SandboxCluster, poller: Poller, tmp_path: Path
) -> None:
    conninfo = hostile_cluster.conninfo()
    runner = ActionRunner(ConnTarget(conninfo), SETTINGS, poller, AuditLog(tmp_path / "audit"))
    for h in hostile.identifiers():
        (before,) = execute(
            conninfo, "SELECT %s::regclass::oid", (sql.Identifier(index_name(h)).as_string(),)
        )
        request = reindex_request("public", index_name(h), h.text)
        check = await runner.precheck(request)
        assert check.allowed, (h.name, check)
        outcome = await runner.run(request)
        assert outcome.ok, (h.name, outcome.message)
        (after,) = execute(
            conninfo, "SELECT %s::regclass::oid", (sql.Identifier(index_name(h)).as_string(),)
        )
        assert after != before, h.name  # rebuilt: a new index took the old one's name
        spare = h.text + " i2"
        execute(
            conninfo,
            sql.SQL("CREATE INDEX {} ON {} (id)").format(
                sql.Identifier(spare), sql.Identifier(h.text)
            ),
        )
        dropped = await runner.run(drop_request("public", spare, h.text))
        assert dropped.ok, (h.name, dropped.message)
        assert execute(
            conninfo, "SELECT to_regclass(%s)", (sql.Identifier(spare).as_string(),)
        ) == [(None,)]
    assert all(entry.ok for entry in runner.audit.entries())
