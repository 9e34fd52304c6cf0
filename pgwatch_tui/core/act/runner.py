"""The action runner: the only caller of do_ queries, on a connection of its own.

Each action opens its own session (application_name `pgwatch action`, autocommit: REINDEX and
CREATE INDEX CONCURRENTLY cannot run in a transaction block), with a lock_timeout and, unless
configured, no statement_timeout. Identifiers are composed with psycopg.sql.Identifier, values
are bound. A failed or cancelled concurrent build is followed by a search for the INVALID index
it left behind. Every action, whatever its outcome, is appended to the audit log.

The runner does not exist at all in read-only mode (the CLI never builds one).
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.audit import AuditLog
from pgwatch_tui.core.act.models import (
    ActionKind,
    ActionOutcome,
    ActionRequest,
    AuditEntry,
    LeftoverIndex,
    PreCheck,
    SnapshotHolder,
)
from pgwatch_tui.core.act.slot_check import slot_precheck
from pgwatch_tui.core.collect.connection import Conn, first_line, open_connection
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.diagnose.normalized_sql import is_read_only_query, repair_normalized
from pgwatch_tui.core.diagnose.plan import Plan
from pgwatch_tui.core.errors import ConnectError, DiagnosisError
from pgwatch_tui.core.safe_text import one_line
from pgwatch_tui.core.settings import Settings

APPLICATION_NAME = "pgwatch action"
SAFE_14 = 140004  # concurrent index builds could corrupt indexes before 14.4


def _is_rebuild_leftover(name: str) -> bool:
    """A *_ccnew / *_ccold index (with an optional number) left by a failed concurrent rebuild."""
    return name.rsplit("_cc", 1)[-1][:3] in ("new", "old")


def target_objections(request: ActionRequest, fact: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(refusals, warnings) from what the server says of the action's target."""
    refusals: list[str] = []
    warnings: list[str] = []
    if fact["in_recovery"]:
        refusals.append("this server is a standby: it cannot write")
    if fact["is_system"]:
        refusals.append("system catalogs are not rebuilt from here")
    version = int(fact["version_num"])
    if version < 120000 and request.builds_index:
        refusals.append("REINDEX CONCURRENTLY needs PostgreSQL 12 or later")
    if 140000 <= version < SAFE_14 and request.builds_index:
        warnings.append(
            "PostgreSQL 14.0-14.3 can corrupt indexes built concurrently "
            "(fixed in 14.4): upgrade first"
        )
    if request.kind is ActionKind.REINDEX:
        if fact["is_exclusion"]:
            refusals.append("REINDEX CONCURRENTLY cannot rebuild an exclusion constraint's index")
        if not fact["is_valid"] and _is_rebuild_leftover(str(fact["name"])):
            refusals.append(
                "a leftover of a failed rebuild: drop it (D), rebuilding it would "
                "make a valid duplicate"
            )
    if request.kind is ActionKind.DROP_INDEX and fact.get("constraint_name"):
        refusals.append(f"it backs constraint {fact['constraint_name']}: drop the constraint")
    return refusals, warnings


class ActionRunner:
    """Runs one action at a time; `cancel()` stops the running one."""

    def __init__(
        self, target: ConnTarget, settings: Settings, poller: Poller, audit: AuditLog
    ) -> None:
        self.target = target
        self.settings = settings
        self.poller = poller
        self.audit = audit
        self._running: Conn | None = None

    def _sql(self, name: str) -> Any:
        report = self.poller.capabilities
        major = report.server_major if report is not None else 14
        chosen = self.poller.book.resolve(name, server_major=major)
        assert chosen is not None, name
        return chosen.sql

    async def _read(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        async with self.poller.borrow() as conn, conn.transaction():
            cur = await conn.execute(self._sql(name), params)
            return [dict(r) for r in await cur.fetchall()]

    # ---- before -----------------------------------------------------------------------------

    async def precheck(self, request: ActionRequest) -> PreCheck:
        """What must be known before asking for confirmation (read on the monitoring session)."""
        if request.kind in (ActionKind.CANCEL, ActionKind.TERMINATE):
            return self._signal_precheck(request)
        if request.kind is ActionKind.DROP_SLOT:
            name = str(request.name)
            return slot_precheck(await self._read("action_slot_target", {"name": name}), name)
        if request.kind is ActionKind.CREATE_INDEX:
            facts = await self._read(
                "action_table_target", {"schema_name": request.schema_name, "name": request.table}
            )
        else:
            facts = await self._read(
                "action_index_target", {"schema_name": request.schema_name, "name": request.name}
            )
        if not facts:
            return PreCheck(refusals=[f"{request.target} does not exist (any more)"])
        fact = facts[0]
        refusals, warnings = target_objections(request, fact)
        size = int(fact["size_bytes"])
        holders = []
        if request.builds_index:
            holders = [SnapshotHolder(**row) for row in await self._read("snapshot_holders", {})]
            if holders:
                wait = self.settings.action_lock_timeout_ms / 1000
                holding = fmt.count(len(holders), "transaction")
                warnings.append(
                    f"{holding} hold snapshots: the build waits for each to end "
                    f"(up to {wait:.0f} s, then fails; c cancels)"
                )
        return PreCheck(
            refusals=refusals,
            warnings=warnings,
            size_bytes=size,
            space_needed_bytes=size if request.kind is ActionKind.REINDEX else None,
            holders=holders,
        )

    def _signal_precheck(self, request: ActionRequest) -> PreCheck:
        refusals = []
        if request.pid == self.poller.backend_pid:
            refusals.append("that is pgwatch's own monitoring session")
        report = self.poller.capabilities
        warnings = []
        if report is not None and not report.can_signal_backends:
            warnings.append("this role can signal only its own sessions (GRANT pg_signal_backend)")
        return PreCheck(refusals=refusals, warnings=warnings)

    # ---- running ----------------------------------------------------------------------------

    def _statement(self, request: ActionRequest) -> tuple[Any, dict[str, Any] | None]:
        if request.kind is ActionKind.CREATE_INDEX:
            # Imported here, as the explainer below: neither is needed for the first screen.
            from pgwatch_tui.core.diagnose.advisor.create_index import create_index

            assert request.shape is not None
            assert request.name is not None
            return create_index(
                request.shape, request.name, request.predicate_type, concurrently=True
            ), None
        if request.kind in (ActionKind.REINDEX, ActionKind.DROP_INDEX):
            name = "do_reindex_index" if request.kind is ActionKind.REINDEX else "do_drop_index"
            index = sql.Identifier(str(request.schema_name), str(request.name))
            return sql.SQL(self._sql(name)).format(index=index), None
        if request.kind is ActionKind.DROP_SLOT:
            return self._sql("do_drop_replication_slot"), {"name": request.name}
        name = "do_cancel_backend" if request.kind is ActionKind.CANCEL else "do_terminate_backend"
        return self._sql(name), {"pid": request.pid}

    async def _connect(self) -> Conn:
        options = (
            f"-c lock_timeout={self.settings.action_lock_timeout_ms}"
            f" -c statement_timeout={self.settings.action_statement_timeout_ms}"
        )
        conn = await open_connection(
            self.target,
            self.settings,
            options=options,
            application_name=APPLICATION_NAME,
            environ=self.poller.environ,
        )
        await conn.set_autocommit(True)
        return conn

    async def run(
        self, request: ActionRequest, started: Callable[[int], None] | None = None
    ) -> ActionOutcome:
        """Run it; `started` gets the action session's pid (to follow its progress)."""
        began, clock = datetime.now(UTC), time.monotonic()
        try:
            conn = await self._connect()
        except ConnectError as exc:
            return self._record(request, began, ActionOutcome(ok=False, message=exc.message))
        self._running = conn
        try:
            if started is not None:
                started(conn.info.backend_pid)
            statement, params = self._statement(request)
            cur = await conn.execute(statement, params)
            outcome = self._success(request, await cur.fetchone() if cur.description else None)
        except pg_errors.QueryCanceled as exc:
            outcome = ActionOutcome(
                ok=False,
                cancelled="user request" in str(exc),
                message=f"cancelled: {first_line(exc)}",
            )
        except pg_errors.InsufficientPrivilege as exc:
            outcome = ActionOutcome(ok=False, message=f"not allowed: {first_line(exc)}")
        except psycopg.Error as exc:
            lost = conn.broken or conn.closed
            reason = "the connection was lost" if lost else first_line(exc)
            outcome = ActionOutcome(ok=False, message=f"failed: {reason}")
        finally:
            self._running = None
            await conn.close()
        outcome = outcome.model_copy(update={"seconds": time.monotonic() - clock})
        if not outcome.ok and request.builds_index:
            outcome = outcome.model_copy(update={"leftovers": await self.leftovers(request)})
        return self._record(request, began, outcome)

    @staticmethod
    def _success(request: ActionRequest, row: Any) -> ActionOutcome:
        if request.kind in (ActionKind.CANCEL, ActionKind.TERMINATE):
            signalled = bool(row and next(iter(row.values())))
            verb = "cancelled" if request.kind is ActionKind.CANCEL else "terminated"
            if not signalled:
                return ActionOutcome(ok=False, message=f"{request.target}: no such session now")
            return ActionOutcome(ok=True, message=f"{request.target} {verb}")
        done = {
            ActionKind.REINDEX: "rebuilt",
            ActionKind.CREATE_INDEX: "built",
            ActionKind.DROP_INDEX: "dropped",
            ActionKind.DROP_SLOT: "dropped",
        }[request.kind]
        return ActionOutcome(ok=True, message=f"{request.target} {done}")

    async def explain_analyze(
        self, query: str, values: list[str | None] | None, database: str | None
    ) -> Plan:
        """Run the query under EXPLAIN ANALYZE: read-only transaction, statement_timeout,
        rolled back. Refused for anything but a plain query."""
        if not is_read_only_query(repair_normalized(query)):
            raise DiagnosisError("EXPLAIN ANALYZE runs only plain queries (SELECT), never DML")
        began = datetime.now(UTC)
        settings = self.settings.model_copy(
            update={"statement_timeout_ms": self.settings.analyze_timeout_ms}
        )
        request = ActionRequest(
            kind=ActionKind.EXPLAIN_ANALYZE, target=one_line(query, 80), sql=query
        )
        try:
            conn = await open_connection(
                self.target,
                settings,
                environ=self.poller.environ,
                application_name=APPLICATION_NAME,
                dbname=database,
            )
        except ConnectError as exc:
            raise DiagnosisError(exc.message) from None
        try:
            await conn.set_read_only(True)
            from pgwatch_tui.core.diagnose.explain import Explainer

            async with conn.transaction(force_rollback=True):
                explainer = Explainer(self.poller.book, self._major)
                await explainer.use_statement_search_path(conn)
                plan = await explainer.analyze(conn, query, values)
        except (psycopg.Error, ValueError) as exc:
            message = first_line(exc) if isinstance(exc, psycopg.Error) else str(exc)
            self._record(request, began, ActionOutcome(ok=False, message=message))
            raise DiagnosisError(f"EXPLAIN ANALYZE failed: {message}") from None
        finally:
            await conn.close()
        took = f"ran in {plan.execution_ms or 0:.1f} ms, rolled back"
        self._record(request, began, ActionOutcome(ok=True, message=took))
        return plan

    @property
    def _major(self) -> int:
        report = self.poller.capabilities
        return report.server_major if report is not None else 14

    def entries(self) -> list[AuditEntry]:
        return self.audit.entries()

    @property
    def audit_path(self) -> str:
        return str(self.audit.path)

    async def cancel(self) -> None:
        """Cancel the running action's statement (its session stays until it returns)."""
        conn = self._running
        if conn is not None:
            await conn.cancel_safe()

    async def leftovers(self, request: ActionRequest) -> list[LeftoverIndex]:
        """INVALID indexes the failed build left on its table, that nobody is building now."""
        try:
            rows = await self._read(
                "index_leftovers",
                {
                    "schema_name": request.schema_name,
                    "table_name": request.table,
                    "name": request.name,
                },
            )
        except (psycopg.Error, ConnectError):
            return []
        return [LeftoverIndex(**row) for row in rows]

    def _record(
        self, request: ActionRequest, began: datetime, outcome: ActionOutcome
    ) -> ActionOutcome:
        report = self.poller.capabilities
        role = report.role if report is not None else "?"
        self.audit.append(
            AuditEntry(
                action=request.kind,
                target=request.target,
                sql=request.sql,
                user=f"{role} (os user {getpass.getuser()})",
                host=self.poller.label,
                started_at=began,
                ended_at=datetime.now(UTC),
                outcome=outcome.message,
                ok=outcome.ok,
            )
        )
        return outcome
