"""Planning (and, later, advice) for the dashboard: on the monitoring session between ticks,
or on a short-lived read-only session when the statement belongs to another database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import psycopg

from pgwatch_tui.core.collect.connection import Conn, first_line, open_connection
from pgwatch_tui.core.collect.own_statements import is_own
from pgwatch_tui.core.collect.poller import ConnectionLost, Poller
from pgwatch_tui.core.diagnose.advisor.models import Advice
from pgwatch_tui.core.diagnose.normalized_sql import is_plannable
from pgwatch_tui.core.diagnose.plan import ExplainOutcome
from pgwatch_tui.core.errors import ConnectError, DiagnosisError
from pgwatch_tui.core.model.bloat import BloatEstimate, RelationKind
from pgwatch_tui.core.model.rows import Session, StatementStats
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.core.sql_names import qualified

if TYPE_CHECKING:
    from pgwatch_tui.core.diagnose.advisor.workload import WriteSample

# The planner and the advisor are imported when first asked for: the first screen needs
# neither, and importing them is a noticeable part of the start-up.


class Diagnosis:
    """What the plan and advice screens ask for. Never writes: every session is read-only."""

    def __init__(self, poller: Poller, settings: Settings) -> None:
        self.poller = poller
        self.settings = settings

    @property
    def _major(self) -> int:
        report = self.poller.capabilities
        return report.server_major if report is not None else 14

    @contextlib.asynccontextmanager
    async def _own_session(self, database: str | None) -> AsyncIterator[Conn]:
        """A short-lived read-only session: advice plants hypothetical indexes in it."""
        conn = await open_connection(
            self.poller.target, self.settings, environ=self.poller.environ, dbname=database
        )
        try:
            await conn.set_read_only(True)
            yield conn
        finally:
            await conn.close()

    @contextlib.asynccontextmanager
    async def _session_in(self, database: str | None) -> AsyncIterator[Conn]:
        here = self.poller.capabilities.database if self.poller.capabilities else None
        if database is None or database == here:
            async with self.poller.borrow() as conn:
                yield conn
            return
        async with self._own_session(database) as conn:
            yield conn

    async def _explain(self, query: str, database: str | None) -> ExplainOutcome:
        from pgwatch_tui.core.diagnose.explain import Explainer

        try:
            async with self._session_in(database) as conn:
                return await Explainer(self.poller.book, self._major).explain(conn, query)
        except (ConnectError, ConnectionLost) as exc:
            return ExplainOutcome(query=query, error=str(exc))
        except psycopg.Error as exc:  # e.g. the connection dropped mid-plan: said on screen
            return ExplainOutcome(query=query, error=first_line(exc))

    async def explain_statement(self, statement: StatementStats) -> ExplainOutcome:
        if statement.query is None:
            return ExplainOutcome(query="", error="the statement's text is not known yet")
        limit = self.settings.statement_text_max_chars
        if len(statement.query) >= limit:  # cut by the statements probe: no longer valid SQL
            return ExplainOutcome(
                query=statement.query,
                error=f"the statement's text is cut at statement_text_max_chars ({limit}): "
                "raise that setting to plan it",
            )
        return await self._explain(statement.query, statement.database)

    async def explain_session(self, session: Session) -> ExplainOutcome:
        if session.query_truncated:
            return ExplainOutcome(
                query=session.query,
                error="the query text is truncated (track_activity_query_size): it cannot be "
                "planned",
            )
        if not session.query or session.query.startswith("<"):
            return ExplainOutcome(query=session.query, error="this session's query is not visible")
        return await self._explain(session.query, session.database)

    async def measure(self, estimate: BloatEstimate) -> BloatEstimate:
        """Exact bloat with pgstattuple (it reads the relation): the estimate, measured."""
        report = self.poller.capabilities
        if report is None or report.pgstattuple is None:
            raise DiagnosisError(
                "exact measurement needs pgstattuple: CREATE EXTENSION pgstattuple;"
            )
        if not report.can_scan_tables:
            raise DiagnosisError(
                "measuring needs pg_stat_scan_tables: "
                f'GRANT pg_stat_scan_tables TO "{report.role}";'
            )
        query = "measure_index" if estimate.kind is RelationKind.INDEX else "measure_table"
        params = {
            ("index" if estimate.kind is RelationKind.INDEX else "table"): qualified(
                estimate.schema_name, estimate.name
            )
        }
        longer = self.settings.model_copy(
            update={"statement_timeout_ms": self.settings.measure_timeout_ms}
        )
        try:
            conn = await open_connection(self.poller.target, longer, environ=self.poller.environ)
            try:
                await conn.set_read_only(True)
                chosen = self.poller.book.resolve(query, server_major=self._major)
                assert chosen is not None
                cur = await conn.execute(chosen.sql, params)
                row = await cur.fetchone()
            finally:
                await conn.close()
        except ConnectError as exc:
            raise DiagnosisError(exc.message) from None
        except psycopg.Error as exc:
            raise DiagnosisError(f"measuring failed: {first_line(exc)}") from None
        if row is None:
            raise DiagnosisError("nothing measured: the relation is gone")
        size, wasted = int(row["size_bytes"]), max(int(row["wasted_bytes"]), 0)
        return estimate.model_copy(
            update={
                "size_bytes": size,
                "wasted_bytes": wasted,
                "expected_bytes": size - wasted,
                "bloat_ratio": wasted / size if size else 0.0,
                "measured": True,
                "reason": None,
            }
        )

    async def advise(self, statement: StatementStats, snapshot: Snapshot) -> Advice:
        """Index suggestions for a statement, weighed on its tables' whole workload."""
        query = statement.query or ""
        report = snapshot.capabilities
        if statement.query is None:
            return Advice(query=query, error="the statement's text is not known yet")
        here = report.database
        database = statement.database or here
        # Extensions are per database: what the connected one has says nothing of another.
        hypopg = report.hypopg is not None and database == here
        workload = statement_weights(snapshot, statement.dbid)
        from pgwatch_tui.core.diagnose.advisor.engine import Advisor

        try:
            async with self._own_session(database) as conn:
                qualstats = await self._has_qualstats(conn)
                advisor = Advisor(
                    self.poller.book,
                    self._major,
                    hypopg=hypopg,
                    hypopg_fix=report.item("hypopg").fix,
                    qualstats=qualstats,
                    recent_writes=write_samples(snapshot),
                )
                return await advisor.advise(conn, statement, workload)
        except (ConnectError, ConnectionLost) as exc:
            return Advice(query=query, error=str(exc))
        except psycopg.Error as exc:
            return Advice(query=query, error=first_line(exc))

    @staticmethod
    async def _has_qualstats(conn: Conn) -> bool:
        cur = await conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_qualstats') AS present"
        )
        row = await cur.fetchone()
        await conn.rollback()
        return bool(row and row["present"])


def statement_weights(snapshot: Snapshot, dbid: int) -> list[tuple[StatementStats, float]]:
    """Calls per second of each statement of a database: over the last interval when known,
    else averaged over the server's uptime."""
    deltas = snapshot.delta_by_key
    uptime = max(snapshot.server.uptime_s, 1.0)
    weights = []
    for statement in snapshot.statements:
        if statement.dbid != dbid:
            continue
        delta = deltas.get(statement.key)
        rate = delta.calls_per_s if delta is not None and delta.calls else statement.calls / uptime
        weights.append((statement, rate))
    return weights


def write_samples(snapshot: Snapshot) -> dict[str, WriteSample]:
    """Each table's write counters when the snapshot read them, to measure recent rates."""
    from pgwatch_tui.core.diagnose.advisor.workload import WriteSample

    status = snapshot.probes.get("tables")
    at = status.collected_at if status is not None else None
    if at is None:
        return {}
    return {
        f"{t.schema_name}.{t.name}": WriteSample(
            at=at,
            inserts=t.n_tup_ins,
            updates=t.n_tup_upd,
            hot_updates=t.n_tup_hot_upd,
            deletes=t.n_tup_del,
        )
        for t in snapshot.tables
    }


def statements_to_advise(snapshot: Snapshot, top: int, queryid: int | None) -> list[StatementStats]:
    """The statements `pgwatch advise` looks at: one by query id, or the busiest plannable
    statements of the connected database (pgwatch's own left out)."""
    here = snapshot.current_database
    candidates = [
        s
        for s in snapshot.statements
        if s.query is not None
        and is_plannable(s.query)
        and not is_own(s)
        and (here is None or s.dbid == here.datid)
    ]
    if queryid is not None:
        return [s for s in candidates if s.queryid == queryid][:1]
    deltas = snapshot.delta_by_key

    def busy(statement: StatementStats) -> tuple[float, float]:
        delta = deltas.get(statement.key)
        return (delta.total_exec_ms if delta else 0.0, statement.total_exec_ms)

    return sorted(candidates, key=busy, reverse=True)[:top]
