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

from pgwatch_tui.core.collect.connection import Conn, first_line, open_connection
from pgwatch_tui.core.collect.conninfo import ConnTarget, describe_target
from pgwatch_tui.core.collect.model_reuse import ExtraColumn, ModelReuse
from pgwatch_tui.core.collect.probes import (
    CLOCK,
    CLOCK_PARTS,
    PROBES,
    SNAPSHOT_PROBES,
    PollContext,
    Probe,
    Skip,
    TickSoFar,
    with_requirements,
)
from pgwatch_tui.core.collect.querybook import QueryBook, QueryFile
from pgwatch_tui.core.collect.rates import derive
from pgwatch_tui.core.collect.session_setup import read_capabilities
from pgwatch_tui.core.collect.text_cache import TextCache
from pgwatch_tui.core.errors import ConnectError
from pgwatch_tui.core.model.capabilities import CapabilityReport
from pgwatch_tui.core.model.rows import ServerInfo
from pgwatch_tui.core.model.snapshot import ProbeState, ProbeStatus, Snapshot
from pgwatch_tui.core.settings import Settings


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
        self.lookups: dict[str, TextCache] = {
            p.name: TextCache() for p in PROBES.values() if p.lookup is not None
        }
        """Per probe with a text lookup, the texts read so far (keyed by that probe)."""
        self._parts_read: dict[str, dict[str, Any]] = {}  # the clock's slower parts, by probe
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
            facts, report = await read_capabilities(
                conn, self.book, self.target, self.settings, self.environ
            )
        except psycopg.Error as exc:
            await conn.close()
            raise ConnectError(f"cannot read server capabilities: {first_line(exc)}") from None
        self._conn = conn
        self.capabilities = report
        self._off.clear()
        self._parts_read.clear()
        for part in CLOCK_PARTS:
            self._tried.pop(part.name, None)
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
                        server = await self._run_clock(conn)
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

    async def _one_row(self, conn: Conn, probe: Probe) -> dict[str, Any]:
        file = self._files.get(probe.name)
        assert file is not None, f"no query file for {probe.name}"
        cur = await conn.execute(file.sql)
        row = await cur.fetchone()
        assert row is not None
        return dict(row)

    async def _run_clock(self, conn: Conn) -> ServerInfo:
        """The tick's first statement: its now() is the time of every probe after it."""
        values = await self._one_row(conn, CLOCK)
        for part in CLOCK_PARTS:  # slower-changing columns, read again at their own cadence
            if self._due_by_interval(part, values["now"]) or part.name not in self._parts_read:
                self._parts_read[part.name] = await self._one_row(conn, part)
            values |= self._parts_read[part.name]
        return ServerInfo.from_trusted(values)

    def _keep_last(
        self, name: str, state: ProbeState | None = None, reason: str | None = None
    ) -> _Result:
        last = self._last.get(name)
        value = last.value if last else PROBES[name].empty
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
        self, probe: Probe, wanted: frozenset[str], force: frozenset[str], now: datetime
    ) -> bool:
        if probe.name in force:
            if probe.cadence.interval_s(self.settings) is not None:
                self._tried[probe.name] = now
            return True
        if probe.name not in wanted:
            return False
        if not probe.cadence.applies(self._context):
            return False
        return self._due_by_interval(probe, now)

    def _due_by_interval(self, probe: Probe, now: datetime) -> bool:
        """From the last attempt, not the last success: an expensive probe that timed out
        waits its interval too, rather than costing the server a timeout every tick."""
        every = probe.cadence.interval_s(self.settings)
        if every is None:
            return True
        tried = self._tried.get(probe.name)
        if tried is not None and (now - tried).total_seconds() < every:
            return False
        self._tried[probe.name] = now
        return True

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
        spec = PROBES[name]
        if name in self._off:
            return self._keep_last(name, ProbeState.OFF, self._off[name])
        if not spec.cadence.keeps_last and name not in wanted:
            return _Result(spec.empty, ProbeStatus(state=ProbeState.NOT_POLLED))
        file = self._files.get(name)
        if file is None:
            return self._unavailable(spec)
        if not self._is_due(spec, wanted, force, now):
            return self._keep_last(name)
        if any(_collected_at(done, read) != now for read in spec.reads):
            return self._keep_last(name)  # goes with the rows shown, so it is carried as well
        if spec.gate is not None:
            skip = spec.gate(TickSoFar(self._context, {k: r.value for k, r in done.items()}))
            if skip is Skip.NOT_NEEDED:
                return _Result(spec.empty, ProbeStatus(state=ProbeState.NOT_POLLED))
            if skip is Skip.NOTHING_TO_READ:
                return _Result(spec.empty, ProbeStatus(state=ProbeState.OK, collected_at=now))
        started = perf_counter()
        self.probe_runs[name] += 1
        try:
            columns, rows = await self._fetch(conn, spec, file, server)
            extra = await self._look_up(conn, spec, columns, rows)
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

    async def _look_up(
        self, conn: Conn, spec: Probe, columns: list[str], rows: list[tuple[Any, ...]]
    ) -> ExtraColumn | None:
        """The column a text lookup fills, read only for the keys not seen before."""
        lookup = spec.lookup
        if lookup is None:
            return None
        file = None if lookup.probe in self._off else self._files.get(lookup.probe)
        texts = await self.lookups[spec.name].texts_for(
            conn, file, lookup.max_chars(self.settings), columns, rows
        )
        return ExtraColumn(lookup.column, texts)

    def _failed(self, name: str, exc: psycopg.Error) -> _Result:
        """Timeouts and resource errors are transient (stale); anything else switches off."""
        reason = first_line(exc)
        if isinstance(exc, pg_errors.QueryCanceled):
            return self._keep_last(name, ProbeState.STALE, f"statement_timeout hit: {reason}")
        if isinstance(exc, pg_errors.LockNotAvailable):
            return self._keep_last(name, ProbeState.STALE, f"lock_timeout hit: {reason}")
        if isinstance(exc, psycopg.OperationalError):
            return self._keep_last(name, ProbeState.STALE, reason)
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            reason = f"permission denied: {reason}"
        self._off[name] = reason
        return self._keep_last(name, ProbeState.OFF, reason)

    def _unavailable(self, spec: Probe) -> _Result:
        report = self.capabilities
        extension = spec.needs.extension
        if extension is not None and report is not None:
            reason = report.unusable(extension)
            if reason is not None:
                return self._keep_last(spec.name, ProbeState.OFF, reason)
        return self._keep_last(
            spec.name, ProbeState.UNSUPPORTED, "not available on this server version"
        )

    async def _fetch(
        self, conn: Conn, spec: Probe, file: QueryFile, server: ServerInfo
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and plain tuples: a row that did not change is found by its values."""
        params = spec.params(self.settings, self._context, server) if spec.params else None
        cur = conn.cursor(row_factory=tuple_row)
        # Binary results: no number or timestamp is printed by the server and parsed
        # back here (half the client time of a 5,000-statement tick, and less server time).
        await cur.execute(file.sql, params, binary=True)
        columns = [c.name for c in cur.description or ()]
        return columns, await cur.fetchall()


def _collected_at(done: Mapping[str, _Result], probe: str) -> datetime | None:
    result = done.get(probe)
    return result.status.collected_at if result is not None else None


def _build_model(spec: Probe, row: dict[str, Any]) -> Any:
    model = spec.model.from_trusted(row)
    return spec.transform(model) if spec.transform is not None else model
