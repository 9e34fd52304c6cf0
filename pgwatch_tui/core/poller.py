"""One monitoring connection, one short read-only transaction per tick.

The session is named `pgwatch`, read-only on the server (default_transaction_read_only), and
capped by statement_timeout / lock_timeout / idle_in_transaction_session_timeout from the
start-up packet, so no SET is ever sent. A probe that times out keeps its last value marked
stale; one refused for privilege (or failing otherwise) is switched off for the session with
its reason, so it does not fill the server log every tick; a lost connection ends the tick.
A failing probe aborts the tick's transaction: the probes after it run in a new one, which
costs less than a savepoint pair around every probe of every tick for a rare event.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import Counter, deque
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from time import perf_counter
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import tuple_row

from pgwatch_tui.core.capabilities import CapabilityFacts, CapabilityReport, build_report
from pgwatch_tui.core.connection import Conn, first_line, open_connection
from pgwatch_tui.core.conninfo import ConnTarget, describe_target
from pgwatch_tui.core.errors import ConnectError
from pgwatch_tui.core.model_reuse import ExtraColumn, ModelReuse
from pgwatch_tui.core.models import ServerInfo
from pgwatch_tui.core.probes import (
    PROBES,
    SNAPSHOT_PROBES,
    Cadence,
    PollContext,
    ProbeSpec,
    interval_s,
    with_requirements,
)
from pgwatch_tui.core.querybook import QueryBook, QueryFile
from pgwatch_tui.core.rates import derive
from pgwatch_tui.core.session_setup import databases_with_pgss, set_search_path
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.core.snapshot import ProbeState, ProbeStatus, Snapshot
from pgwatch_tui.core.statement_texts import TextCache


class ConnectionLost(Exception):
    """The monitoring connection broke during a tick; the caller reconnects with backoff."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TickFailed(Exception):
    """The tick's transaction itself failed (not one probe); the snapshot is skipped."""


class _ProbeFailed(Exception):
    """One probe's statement failed and aborted the tick's transaction (internal)."""

    def __init__(self, cause: psycopg.Error) -> None:
        super().__init__(str(cause))
        self.cause = cause


@dataclass(frozen=True)
class _Result:
    value: Any  # tuple of rows, or one row, or None
    status: ProbeStatus


class Poller:
    """Turns the monitored server into Snapshots, one `poll()` per tick."""

    def __init__(
        self,
        target: ConnTarget,
        settings: Settings,
        *,
        querybook: QueryBook | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.target = target
        self.settings = settings
        self.book = querybook or QueryBook()
        self.environ = os.environ if environ is None else environ
        self.capabilities: CapabilityReport | None = None
        self.label = describe_target(target.conninfo, self.environ)
        self._conn: Conn | None = None
        self._files: dict[str, QueryFile | None] = {}
        self._off: dict[str, str] = {}
        self._last: dict[str, _Result] = {}
        self._reuse = ModelReuse()
        self._tried: dict[str, datetime] = {}  # periodic probes: when each last ran
        self.probe_runs: Counter[str] = Counter()
        """How often each probe's SQL was sent this session (diagnostics)."""
        self.texts = TextCache()
        self._settings_read: tuple[datetime | None, dict[str, Any]] = (None, {})
        self._previous: Snapshot | None = None
        self._context = PollContext()
        # One user of the monitoring session at a time: a tick, or planning between ticks.
        self._lock = asyncio.Lock()

    @property
    def connected(self) -> bool:
        return self._conn is not None and not self._conn.closed and not self._conn.broken

    @property
    def backend_pid(self) -> int | None:
        return self._conn.info.backend_pid if self.connected and self._conn else None

    async def connect(self) -> CapabilityReport:
        """Open the monitoring session, read capabilities and resolve every probe's SQL."""
        await self.close()
        conn = await open_connection(self.target, self.settings, environ=self.environ)
        try:
            info = conn.info
            self.label = f"{info.host}:{info.port}/{info.dbname}"
            await conn.set_read_only(True)
            async with conn.transaction():
                cur = await conn.execute(self._sql("capabilities", 14, None))
                row = await cur.fetchone()
            assert row is not None
            facts = CapabilityFacts.model_validate(dict(row))
            elsewhere: list[str] = []
            if facts.pgss_loaded and facts.pgss_version is None:
                elsewhere = await databases_with_pgss(
                    conn, self.target, self.settings, self.environ, facts.database
                )
            report = build_report(facts, elsewhere)
            await set_search_path(conn, report)
        except psycopg.Error as exc:
            await conn.close()
            raise ConnectError(f"cannot read server capabilities: {first_line(exc)}") from None
        self._conn = conn
        self.capabilities = report
        self._off.clear()
        self._settings_read = (None, {})
        major = facts.version_num // 10000
        self._files = {
            name: self.book.resolve(name, server_major=major, pgss_version=report.pgss_version)
            for name in PROBES
        }
        return report

    @contextlib.asynccontextmanager
    async def borrow(self) -> AsyncIterator[Conn]:
        """The monitoring session, between ticks (planning and advice run here)."""
        async with self._lock:
            conn = self._conn
            if conn is None or conn.closed or conn.broken:
                raise ConnectionLost("not connected")
            yield conn

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(psycopg.Error):
                await conn.close()

    def _sql(self, probe: str, major: int, pgss: tuple[int, int] | None) -> str:
        chosen = self.book.resolve(probe, server_major=major, pgss_version=pgss)
        if chosen is None:
            raise KeyError(probe)
        return chosen.sql

    async def poll(
        self,
        wanted: frozenset[str] | None = None,
        force: frozenset[str] = frozenset(),
        context: PollContext | None = None,
    ) -> Snapshot:
        """Run one tick and return its snapshot, with rates against the previous one."""
        async with self._lock:
            return await self._poll(wanted, force, context)

    async def _poll(
        self,
        wanted: frozenset[str] | None,
        force: frozenset[str],
        context: PollContext | None,
    ) -> Snapshot:
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            raise ConnectionLost("not connected")
        assert self.capabilities is not None
        wanted_set = with_requirements(
            wanted if wanted is not None else frozenset(SNAPSHOT_PROBES)
        ) | with_requirements(force)
        self._context = context or PollContext()
        try:
            server, results = await self._run_probes(conn, wanted_set, force)
        except psycopg.OperationalError as exc:
            if conn.broken or conn.closed:
                await self.close()
                raise ConnectionLost(first_line(exc)) from None
            raise TickFailed(first_line(exc)) from None
        except psycopg.Error as exc:
            if conn.broken or conn.closed:
                await self.close()
                raise ConnectionLost(first_line(exc)) from None
            raise TickFailed(first_line(exc)) from None
        self._last.update(results)
        snapshot = Snapshot(
            taken_at=server.now,
            server=server,
            capabilities=self.capabilities,
            probes={name: r.status for name, r in results.items()},
            **{name: r.value for name, r in results.items() if r.value is not None},
        )
        snapshot = derive(self._previous, snapshot)
        self._previous = snapshot
        return snapshot

    async def _run_probes(
        self, conn: Conn, wanted: frozenset[str], force: frozenset[str]
    ) -> tuple[ServerInfo, dict[str, _Result]]:
        """Every probe in turn, in one transaction unless one of them fails."""
        results: dict[str, _Result] = {}
        server: ServerInfo | None = None
        pending = deque(SNAPSHOT_PROBES)
        while True:
            try:
                async with conn.transaction():
                    if server is None:
                        server = await self._run_server(conn)
                    while pending:
                        name = pending[0]
                        results[name] = await self._probe(
                            conn, name, wanted, force, server, results
                        )
                        pending.popleft()
                assert server is not None
                return server, results
            except _ProbeFailed as failed:  # rolled back: note it, go on in a new transaction
                name = pending.popleft()
                results[name] = self._failed(name, failed.cause)

    async def _one_row(self, conn: Conn, probe: str) -> dict[str, Any]:
        file = self._files.get(probe)
        assert file is not None
        cur = await conn.execute(file.sql)
        row = await cur.fetchone()
        assert row is not None
        return dict(row)

    async def _run_server(self, conn: Conn) -> ServerInfo:
        values = await self._one_row(conn, "server")
        return ServerInfo.from_trusted(values | await self._server_settings(conn, values["now"]))

    async def _server_settings(self, conn: Conn, now: datetime) -> dict[str, Any]:
        """The rarely changing part of the server row, read again every tables_interval_s."""
        read_at, values = self._settings_read
        if read_at is None or (now - read_at).total_seconds() >= self.settings.tables_interval_s:
            values = await self._one_row(conn, "server_settings")
            self._settings_read = (now, values)
        return values

    def _carry(
        self, name: str, state: ProbeState | None = None, reason: str | None = None
    ) -> _Result:
        last = self._last.get(name)
        empty: Any = None if PROBES[name].single_row else ()
        value = last.value if last else empty
        if state is None:
            status = last.status if last else ProbeStatus(state=ProbeState.NOT_POLLED)
        else:
            status = ProbeStatus(
                state=state,
                reason=reason,
                collected_at=last.status.collected_at if last else None,
                sql_file=file.label if (file := self._files.get(name)) else None,
            )
        return _Result(value, status)

    def _is_due(
        self, name: str, wanted: frozenset[str], force: frozenset[str], now: datetime
    ) -> bool:
        cadence = PROBES[name].cadence
        every = interval_s(cadence, self.settings)
        if name in force:
            due = True
        elif name not in wanted:
            return False
        elif cadence is Cadence.WHEN_FOCUSED:
            return self._context.pid is not None
        else:
            # From the last attempt, not the last success: an expensive probe that timed out
            # waits its interval too, rather than costing the server a timeout every tick.
            tried = self._tried.get(name)
            due = every is None or tried is None or (now - tried).total_seconds() >= every
        if due and every is not None:
            self._tried[name] = now
        return due

    async def _probe(
        self,
        conn: Conn,
        name: str,
        wanted: frozenset[str],
        force: frozenset[str],
        server: ServerInfo,
        done: dict[str, _Result],
    ) -> _Result:
        now = server.now
        if name in self._off:
            return self._carry(name, ProbeState.OFF, self._off[name])
        if PROBES[name].cadence is Cadence.WHEN_FOCUSED and name not in wanted:
            return _Result((), ProbeStatus(state=ProbeState.NOT_POLLED))  # nothing stale kept
        file = self._files.get(name)
        if file is None:
            return self._unavailable(name)
        if not self._is_due(name, wanted, force, now):
            return self._carry(name)
        if name in ("lock_waits", "idle_count"):
            sessions = done.get("sessions")
            if sessions is None or sessions.status.collected_at != now:
                return self._carry(name)  # goes with the sessions shown, carried as well
            if name == "idle_count" and self._context.with_idle:
                return _Result(None, ProbeStatus(state=ProbeState.NOT_POLLED))  # all listed
            if name == "lock_waits" and not any(s.waits_on_lock for s in sessions.value):
                return _Result((), ProbeStatus(state=ProbeState.OK, collected_at=now))
        if name == "statements_info" and done["statements"].status.collected_at != now:
            return self._carry(name)
        started = perf_counter()
        self.probe_runs[name] += 1
        spec = PROBES[name]
        try:
            columns, rows = await self._fetch(conn, name, file, server)
            extra = None
            if name == "statements":
                texts_file = (
                    None if "statement_texts" in self._off else self._files.get("statement_texts")
                )
                texts = await self.texts.texts_for(
                    conn, texts_file, self.settings.statement_text_max_chars, columns, rows
                )
                extra = ExtraColumn("query", texts)
        except psycopg.Error as exc:
            if conn.broken or conn.closed:
                raise
            raise _ProbeFailed(exc) from None
        models = self._reuse.models(name, columns, rows, partial(_build_model, spec), extra)
        value: Any = (models[0] if models else None) if spec.single_row else tuple(models)
        status = ProbeStatus(
            state=ProbeState.OK,
            collected_at=now,
            duration_ms=(perf_counter() - started) * 1000,
            sql_file=file.label,
        )
        return _Result(value, status)

    def _failed(self, name: str, exc: psycopg.Error) -> _Result:
        """Timeouts and resource errors are transient (stale); anything else switches off."""
        reason = first_line(exc)
        if isinstance(exc, pg_errors.QueryCanceled):
            return self._carry(name, ProbeState.STALE, f"statement_timeout hit: {reason}")
        if isinstance(exc, pg_errors.LockNotAvailable):
            return self._carry(name, ProbeState.STALE, f"lock_timeout hit: {reason}")
        if isinstance(exc, psycopg.OperationalError):
            return self._carry(name, ProbeState.STALE, reason)
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            reason = f"permission denied: {reason}"
        self._off[name] = reason
        return self._carry(name, ProbeState.OFF, reason)

    def _unavailable(self, name: str) -> _Result:
        report = self.capabilities
        if PROBES[name].needs_statements and report is not None and not report.statements_usable:
            return self._carry(name, ProbeState.OFF, report.item("pg_stat_statements").summary)
        return self._carry(name, ProbeState.UNSUPPORTED, "not available on this server version")

    async def _fetch(
        self, conn: Conn, name: str, file: QueryFile, server: ServerInfo
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and plain tuples: a row that did not change is found by its values."""
        spec = PROBES[name]
        params = spec.params(self.settings, self._context, server) if spec.params else None
        cur = conn.cursor(row_factory=tuple_row)
        # Binary results: no number or timestamp is printed by the server and parsed
        # back here (half the client time of a 5,000-statement tick, and less server time).
        await cur.execute(file.sql, params, binary=True)
        columns = [c.name for c in cur.description or ()]
        return columns, await cur.fetchall()


def _build_model(spec: ProbeSpec, row: dict[str, Any]) -> Any:
    model = spec.model.from_trusted(row)
    return spec.transform(model) if spec.transform is not None else model
