"""A background workload on the demo database that makes every pgwatch pane worth looking at.

Threads, each with its own connection and application_name: shop traffic (fast lookups, a
slow lookup missing its index, a skewed-status query, inserts and updates), a slow report, a
chain of three sessions each waiting on the previous one's row lock, and a session idle in
transaction. Every loop survives server restarts and terminated backends by reconnecting.

Run it on its own with `python -m pgwatch_tui.sandbox.workload CONNINFO`; it stops when its
stdin closes (its owner exited) or on SIGTERM/SIGINT.
"""

from __future__ import annotations

import contextlib
import random
import signal
import sys
import threading
from collections.abc import Callable
from typing import LiteralString

import psycopg

IDLE_IN_TRANSACTION_S = 45.0


class Workload:
    """Start with `start()`, end with `stop()`; safe to stop from any thread."""

    def __init__(self, conninfo: str, seed: int = 7) -> None:
        self.conninfo = conninfo
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._random = random.Random(seed)  # noqa: S311 - demo traffic, not secrets
        self._live: set[psycopg.Connection[tuple[object, ...]]] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        loops: list[tuple[str, Callable[[], None]]] = [
            ("shop-web", self._traffic),
            ("shop-web-2", self._traffic),
            ("nightly-report", self._report),
            ("lock-chain", self._lock_chain),
            ("billing-batch", self._idle_in_transaction),
        ]
        for name, loop in loops:
            thread = threading.Thread(target=self._forever, args=(loop,), name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._lock:
            live = list(self._live)
        for conn in live:
            with contextlib.suppress(Exception):
                conn.cancel_safe(timeout=2)
        for thread in self._threads:
            thread.join(timeout)

    # ---- plumbing ---------------------------------------------------------------------------

    def _connect(self, application: str) -> psycopg.Connection[tuple[object, ...]]:
        conn = psycopg.connect(self.conninfo, application_name=application, autocommit=True)
        with self._lock:
            self._live.add(conn)
        return conn

    def _close(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        with self._lock:
            self._live.discard(conn)
        with contextlib.suppress(Exception):
            conn.close()

    def _forever(self, loop: Callable[[], None]) -> None:
        while not self._stop.is_set():
            try:
                loop()
            except psycopg.Error:
                self._stop.wait(1.0)  # server restarting, backend terminated...: retry

    # ---- the loops --------------------------------------------------------------------------

    def _traffic(self) -> None:
        conn = self._connect("shop-web")
        rnd = self._random
        try:
            tick = 0
            while not self._stop.is_set():
                tick += 1
                customer = rnd.randint(1, 50_000)
                conn.execute("SELECT id, name, email FROM customers WHERE id = %s", (customer,))
                # No index on orders.customer_id: a sequential scan every time.
                conn.execute(
                    "SELECT id, status, total FROM orders WHERE customer_id = %s"
                    " ORDER BY created_at DESC LIMIT 20",
                    (customer,),
                )
                if tick % 3 == 0:
                    conn.execute(
                        "SELECT id, customer_id, total FROM orders WHERE status = %s"
                        " ORDER BY created_at LIMIT 50",
                        ("pending",),
                    )
                conn.execute(
                    "INSERT INTO orders (customer_id, product_id, status, total, created_at)"
                    " VALUES (%s, %s, 'pending', %s, now())",
                    (customer, rnd.randint(1, 2000), rnd.randint(1, 500)),
                )
                conn.execute(
                    "UPDATE orders SET status = 'shipped' WHERE id = %s AND status = 'pending'",
                    (rnd.randint(1, 400_000),),
                )
                conn.execute(
                    "SELECT p.name, p.price FROM products p WHERE p.category = %s AND p.price < %s",
                    (rnd.choice(["books", "games", "tools", "food"]), rnd.randint(10, 200)),
                )
                self._stop.wait(0.15)
        finally:
            self._close(conn)

    def _report(self) -> None:
        conn = self._connect("nightly-report")
        try:
            while not self._stop.is_set():
                conn.execute(
                    "SELECT c.country, date_trunc('day', o.created_at) AS day,"
                    " count(*), sum(o.total)"
                    " FROM orders o JOIN customers c ON c.id = o.customer_id"
                    " GROUP BY 1, 2 ORDER BY 4 DESC"
                )
                self._stop.wait(4.0)
        finally:
            self._close(conn)

    def _idle_in_transaction(self) -> None:
        conn = self._connect("billing-batch")
        try:
            while not self._stop.is_set():
                with conn.transaction():
                    conn.execute("SELECT sum(balance) FROM accounts")
                    self._stop.wait(IDLE_IN_TRANSACTION_S)  # idle in transaction, holding xmin
                self._stop.wait(2.0)
        finally:
            self._close(conn)

    def _lock_chain(self) -> None:
        """A holds row 1 for a while; B holds row 2 and waits for row 1; C waits for row 2."""
        a, b, c = (self._connect(name) for name in ("shop-admin", "shop-web", "shop-web"))
        threads: list[threading.Thread] = []
        try:
            a.execute("BEGIN")
            a.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 1")
            b.execute("BEGIN")
            b.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2")
            steps: list[tuple[psycopg.Connection[tuple[object, ...]], LiteralString]] = [
                (b, "UPDATE accounts SET balance = balance + 1 WHERE id = 1"),
                (c, "UPDATE accounts SET balance = balance - 1 WHERE id = 2"),
                (a, "SELECT pg_sleep(20)"),  # A keeps its row lock while this runs
            ]
            for conn, statement in steps:
                thread = threading.Thread(
                    target=self._run_then_commit, args=(conn, statement), daemon=True
                )
                thread.start()
                threads.append(thread)
                self._stop.wait(0.3)  # let each one start waiting before the next arrives
            for thread in reversed(threads):
                while thread.is_alive() and not self._stop.is_set():
                    thread.join(0.5)
            self._stop.wait(3.0)
        finally:
            for conn in (a, b, c):
                with contextlib.suppress(Exception):
                    conn.cancel_safe(timeout=2)
            for thread in threads:
                thread.join(5)
            for conn in (a, b, c):
                self._close(conn)

    @staticmethod
    def _run_then_commit(
        conn: psycopg.Connection[tuple[object, ...]], statement: LiteralString
    ) -> None:
        with contextlib.suppress(psycopg.Error):
            conn.execute(statement)
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.execute("COMMIT")


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m pgwatch_tui.sandbox.workload CONNINFO", file=sys.stderr)
        return 2
    workload = Workload(argv[0])
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: done.set())

    def watch_stdin() -> None:
        with contextlib.suppress(OSError):
            while sys.stdin.buffer.read(4096):
                pass
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    workload.start()
    done.wait()
    workload.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
