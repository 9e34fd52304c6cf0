"""Helpers that make real sessions do things pgwatch must see: lock chains, idle transactions."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import LiteralString

import psycopg
from psycopg import sql

SyncConn = psycopg.Connection[tuple[object, ...]]


def execute(
    conninfo: str, statement: LiteralString | sql.Composable, params: tuple[object, ...] = ()
) -> list[tuple[object, ...]]:
    """Run one statement in autocommit and return its rows (if any)."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        cur = conn.execute(statement, params or None)
        return cur.fetchall() if cur.description else []


def wait_for(condition: object, timeout: float = 10.0, what: str = "condition") -> None:
    """Poll a zero-argument callable until it returns truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class LockChain:
    """pids[0] holds a row; pids[i] holds row i+1 and waits for row i (held by pids[i-1])."""

    pids: list[int]
    conns: list[SyncConn] = field(repr=False)
    threads: list[threading.Thread] = field(repr=False)


@contextlib.contextmanager
def lock_chain(conninfo: str, length: int = 3, table: str = "chain_rows") -> Iterator[LockChain]:
    """A chain of `length` sessions, each but the first waiting on the previous one's row."""
    ident = sql.Identifier(table)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (id int PRIMARY KEY, v int)").format(ident)
        )
        admin.execute(
            sql.SQL(
                "INSERT INTO {} SELECT g, 0 FROM generate_series(1, %s) g ON CONFLICT DO NOTHING"
            ).format(ident),
            (length + 1,),
        )
    conns: list[SyncConn] = [
        psycopg.connect(conninfo, autocommit=True, application_name=f"chain-{i}")
        for i in range(length)
    ]
    update = sql.SQL("UPDATE {} SET v = v + 1 WHERE id = %s").format(ident)
    threads: list[threading.Thread] = []
    try:
        for i, conn in enumerate(conns):
            conn.execute("BEGIN")
            conn.execute(update, (i + 1,))
        for i in range(1, length):
            thread = threading.Thread(target=_quietly, args=(conns[i], update, (i,)), daemon=True)
            thread.start()
            threads.append(thread)
            wait_for(lambda n=i: _waiting(conninfo, table) >= n, what=f"{i} lock waits")
        yield LockChain([c.info.backend_pid for c in conns], conns, threads)
    finally:
        for i, conn in enumerate(conns):
            with contextlib.suppress(psycopg.Error):
                conn.execute("ROLLBACK")
            if i < len(threads):
                threads[i].join(10)
        for conn in conns:
            conn.close()


def _quietly(conn: SyncConn, statement: sql.Composed, params: tuple[object, ...]) -> None:
    with contextlib.suppress(psycopg.Error):
        conn.execute(statement, params)


def _waiting(conninfo: str, table: str) -> int:
    rows = execute(
        conninfo,
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND application_name LIKE 'chain-%'",
    )
    return int(rows[0][0])  # type: ignore[call-overload]


@contextlib.contextmanager
def idle_in_transaction(conninfo: str, application: str = "idle-tx") -> Iterator[int]:
    """A session that opened a transaction, read something, and went idle."""
    conn = psycopg.connect(conninfo, application_name=application)
    try:
        conn.execute("SELECT count(*) FROM pg_class")
        yield conn.info.backend_pid
    finally:
        conn.close()
