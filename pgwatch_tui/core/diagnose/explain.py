"""EXPLAIN for normalized statements ($1, $2 ...) and session queries, never executing them.

The method is chosen by server version, not by reading errors: PostgreSQL 16+ has
EXPLAIN (GENERIC_PLAN); 14 and 15 PREPARE the statement and EXPLAIN EXECUTE it with NULL
arguments under plan_cache_mode = force_generic_plan. When PostgreSQL cannot type a parameter
(`$1 / $2`, `$1 IS NULL`), the statement is prepared again with explicit types taken from the
columns the parameters are compared with, then numeric, text and timestamptz. Everything runs
in one transaction that is rolled back, and prepared statements are deallocated.

A generic plan misleads for skewed data, so a statement compared with a skewed column is also
planned (custom plan) for a frequent and a rare value from pg_stats.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, LiteralString

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from pgwatch_tui.core.collect.connection import Conn, first_line
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.diagnose.normalized_sql import (
    is_plannable,
    is_read_only_query,
    parameter_count,
    repair_normalized,
)
from pgwatch_tui.core.diagnose.parameters import (
    ColumnType,
    column_types,
    inferred_types,
    typical_values,
)
from pgwatch_tui.core.diagnose.plan import CustomPlan, ExplainOutcome, Plan, parse_plan

# Tried in turn for a parameter PostgreSQL cannot type: numbers first, then text, then the
# types date and time arithmetic needs (date - $1 wants an integer or an interval).
FALLBACK_TYPES = ("numeric", "text", "timestamptz", "integer", "interval", "date", "boolean")
MAX_ATTEMPTS = 12
_names = itertools.count(1)
# Errors that mean "this statement cannot be planned here", as opposed to a broken session.
_PLAN_ERRORS = (
    pg_errors.DataException,
    pg_errors.SyntaxError,
    pg_errors.UndefinedTable,
    pg_errors.UndefinedColumn,
    pg_errors.FeatureNotSupported,
    pg_errors.WrongObjectType,
)
_TYPE_ERRORS = (
    pg_errors.IndeterminateDatatype,
    pg_errors.AmbiguousFunction,
    pg_errors.UndefinedFunction,
    pg_errors.DatatypeMismatch,
    pg_errors.InvalidTextRepresentation,
    pg_errors.AmbiguousParameter,
    pg_errors.InvalidParameterValue,
)


@dataclass(frozen=True)
class Prepared:
    """What planning a statement again needs: its repaired text, parameter types and typical
    values. Worked out once, then each plan is a PREPARE, an EXPLAIN EXECUTE, a DEALLOCATE."""

    query: str
    types: list[str | None]
    typical: list[str | None]


def _options(*extra: str) -> sql.Composed:
    return sql.SQL("EXPLAIN ({}) ").format(
        sql.SQL(", ").join(sql.SQL(o) for o in (*extra, "VERBOSE", "SETTINGS", "FORMAT JSON"))
    )


def _text(query: str) -> sql.SQL:
    # The statement itself is what is explained: it cannot be a parameter. It comes from the
    # server (pg_stat_statements or pg_stat_activity), runs only under EXPLAIN (never executed),
    # in a read-only transaction, and psycopg's extended protocol refuses a second statement.
    return sql.SQL(query)  # see above


class Explainer:
    """Plans statements on a connection it is lent; holds no connection of its own."""

    def __init__(self, book: QueryBook, server_major: int) -> None:
        self.book = book
        self.server_major = server_major

    def _sql(self, name: str) -> LiteralString:
        chosen = self.book.resolve(name, server_major=self.server_major)
        assert chosen is not None, name
        return chosen.sql  # files in queries/ are constants

    async def explain(self, conn: Conn, query: str, *, custom: bool = True) -> ExplainOutcome:
        """The generic plan, and custom plans for real values when data is skewed."""
        if not is_plannable(query):
            return ExplainOutcome(query=query, error="only queries and DML have plans")
        query = repair_normalized(query)
        count = parameter_count(query)
        try:
            async with conn.transaction(force_rollback=True):
                await conn.execute(self._sql("default_search_path"))
                if count == 0:
                    plan = await self._plain(conn, query)
                    return ExplainOutcome(
                        query=query,
                        method="EXPLAIN",
                        generic=plan,
                        analyzable=is_read_only_query(query),
                    )
                return await self._with_parameters(conn, query, count, custom)
        except psycopg.OperationalError:
            raise
        except psycopg.Error as exc:
            return ExplainOutcome(query=query, error=first_line(exc))

    async def _plain(self, conn: Conn, query: str) -> Plan:
        return await self._fetch_plan(conn, _options() + _text(query))

    async def _fetch_plan(self, conn: Conn, statement: sql.Composed) -> Plan:
        cur = await conn.execute(statement)
        row = await cur.fetchone()
        assert row is not None
        return parse_plan(next(iter(row.values())))

    async def _with_parameters(
        self, conn: Conn, query: str, count: int, custom: bool
    ) -> ExplainOutcome:
        notes: list[str] = []
        plan: Plan | None = None
        method = ""
        if self.server_major >= 16:
            try:
                async with conn.transaction():
                    plan = await self._fetch_plan(conn, _options("GENERIC_PLAN") + _text(query))
                    method = "EXPLAIN (GENERIC_PLAN)"
            except _TYPE_ERRORS as exc:
                notes.append(f"GENERIC_PLAN could not type the parameters: {first_line(exc)}")
        columns = await column_types(conn, self._sql("column_types"), query)
        types = inferred_types(query, count, columns)
        if plan is None or custom:
            try:
                prepared_plan, types = await self._prepared_generic(conn, query, types)
            except _TYPE_ERRORS as exc:
                if plan is None:
                    raise
                notes.append(f"no custom plans: the parameters could not be typed ({exc})")
                custom = False
            else:
                if plan is None:
                    plan = prepared_plan
                    method = "PREPARE + EXPLAIN EXECUTE (force_generic_plan)"
        customs: list[CustomPlan] = []
        if custom:
            customs, skew_notes = await self._custom_plans(conn, query, types, columns)
            notes.extend(skew_notes)
        return ExplainOutcome(
            query=query,
            method=method,
            generic=plan,
            parameter_types=[t or "unknown" for t in types],
            custom=customs,
            notes=notes,
            analyzable=bool(customs) and is_read_only_query(query),
        )

    async def _prepare(self, conn: Conn, name: str, query: str, types: list[str | None]) -> None:
        statement = sql.SQL("PREPARE {} ").format(sql.Identifier(name))
        if any(types):
            typed = [sql.SQL(t or "unknown") for t in types]  # catalog type names
            statement += sql.SQL("({}) ").format(sql.SQL(", ").join(typed))
        await conn.execute(statement + sql.SQL("AS ") + _text(query))

    @contextlib.asynccontextmanager
    async def _prepared(
        self, conn: Conn, query: str, types: list[str | None]
    ) -> AsyncIterator[str]:
        """The name of a statement prepared for the block, in a savepoint, and deallocated
        after it even when it fails (a prepared statement outlives a rollback)."""
        name = f"pgwatch_plan_{next(_names)}"
        prepared = False
        try:
            async with conn.transaction():
                await self._prepare(conn, name, query, types)
                prepared = True
                yield name
        finally:
            if prepared:
                await conn.execute(sql.SQL("DEALLOCATE {}").format(sql.Identifier(name)))

    async def _explain_execute(
        self, conn: Conn, name: str, values: list[str | None], mode: LiteralString
    ) -> Plan:
        await conn.execute("SELECT pg_catalog.set_config('plan_cache_mode', %s, true)", (mode,))
        args = sql.SQL(", ").join(sql.Literal(v) for v in values)
        execute = sql.SQL("EXECUTE {}({})").format(sql.Identifier(name), args)
        return await self._fetch_plan(conn, _options() + execute)

    async def _prepared_generic(
        self, conn: Conn, query: str, types: list[str | None]
    ) -> tuple[Plan, list[str | None]]:
        """PREPARE and EXPLAIN EXECUTE with NULLs, typing parameters until PostgreSQL agrees."""
        types = list(types)
        fallback = {i: iter(FALLBACK_TYPES) for i in range(len(types))}
        last_error: psycopg.Error | None = None
        for _ in range(MAX_ATTEMPTS):
            try:
                async with self._prepared(conn, query, types) as name:
                    plan = await self._explain_execute(
                        conn, name, [None] * len(types), "force_generic_plan"
                    )
                return plan, types
            except _TYPE_ERRORS as exc:
                last_error = exc
                if not self._next_types(exc, types, fallback):
                    break
        assert last_error is not None
        raise last_error

    @staticmethod
    def _next_types(exc: psycopg.Error, types: list[str | None], fallback: dict[int, Any]) -> bool:
        """Type what PostgreSQL complained about; False when there is nothing left to try."""
        match = re.search(r"parameter \$(\d+)", first_line(exc))
        targets = (
            [int(match.group(1)) - 1]
            if match
            else [i for i, t in enumerate(types) if t is None or t in FALLBACK_TYPES]
        )
        changed = False
        for index in targets:
            if 0 <= index < len(types):
                following = next(fallback[index], None)
                if following is not None:
                    types[index] = following
                    changed = True
        return changed

    async def _custom_plans(
        self, conn: Conn, query: str, types: list[str | None], columns: dict[str, ColumnType]
    ) -> tuple[list[CustomPlan], list[str]]:
        """Plans for a frequent and a rare value of the first parameter on a skewed column;
        otherwise one for typical values (what EXPLAIN ANALYZE then runs with)."""
        typical, skewed = await typical_values(
            conn, self._sql("column_values"), query, len(types), columns
        )
        if skewed is None:
            note = "no skewed column among the parameters: the generic plan stands"
            if any(value is None for value in typical):
                return [], [note]
            try:
                plan = await self._custom_plan(conn, query, types, typical)
            except (*_TYPE_ERRORS, pg_errors.DataException):
                return [], [note]
            return [CustomPlan(label="typical values", values=typical, plan=plan)], [note]
        index, values, freqs = skewed
        plans: list[CustomPlan] = []
        for label, value, freq in (
            ("frequent value", values[0], freqs[0]),
            ("rare value", values[-1], freqs[-1]),
        ):
            arguments = list(typical)
            arguments[index] = value
            try:
                plan = await self._custom_plan(conn, query, types, arguments)
            except (*_TYPE_ERRORS, pg_errors.DataException) as exc:
                return plans, [f"no custom plan for the {label}: {first_line(exc)}"]
            plans.append(
                CustomPlan(label=f"{label} ({freq:.1%} of rows)", values=arguments, plan=plan)
            )
        return plans, []

    async def prepare_statement(self, conn: Conn, query: str) -> Prepared | None:
        """Type a statement's parameters once (None when it cannot be planned)."""
        query = repair_normalized(query)
        if not is_plannable(query):
            return None
        count = parameter_count(query)
        try:
            async with conn.transaction():
                columns = await column_types(conn, self._sql("column_types"), query)
                types = inferred_types(query, count, columns)
                if count:
                    _, types = await self._prepared_generic(conn, query, types)
                typical, _ = await typical_values(
                    conn, self._sql("column_values"), query, count, columns
                )
        except (*_TYPE_ERRORS, *_PLAN_ERRORS):
            return None
        return Prepared(query, types, typical)

    async def plan_prepared(
        self, conn: Conn, prepared: Prepared, values: dict[int, str] | None = None
    ) -> Plan | None:
        """The generic plan (no values) or a custom plan for these $n values."""
        try:
            async with conn.transaction():
                if not prepared.types:
                    return await self._plain(conn, prepared.query)
                if values is None:
                    async with self._prepared(conn, prepared.query, prepared.types) as name:
                        return await self._explain_execute(
                            conn, name, [None] * len(prepared.types), "force_generic_plan"
                        )
                arguments = list(prepared.typical)
                for number, value in values.items():
                    if 1 <= number <= len(arguments):
                        arguments[number - 1] = value
                return await self._custom_plan(conn, prepared.query, prepared.types, arguments)
        except (*_TYPE_ERRORS, *_PLAN_ERRORS):
            return None

    async def generic_plan(self, conn: Conn, query: str) -> Plan | None:
        """The generic plan alone (the caller's transaction must use the statement's path)."""
        query = repair_normalized(query)
        if not is_plannable(query):
            return None
        try:
            async with conn.transaction():
                if parameter_count(query) == 0:
                    return await self._plain(conn, query)
                outcome = await self._with_parameters(conn, query, parameter_count(query), False)
                return outcome.generic
        except (*_TYPE_ERRORS, *_PLAN_ERRORS):
            return None

    async def analyze(self, conn: Conn, query: str, values: list[str | None] | None) -> Plan:
        """EXPLAIN ANALYZE: runs the query. The caller owns the read-only transaction."""
        query = repair_normalized(query)
        if not is_read_only_query(query):
            raise ValueError("only a plain query is run by EXPLAIN ANALYZE")
        options = _options("ANALYZE", "BUFFERS")
        wanted = parameter_count(query)
        if wanted == 0:
            return await self._fetch_plan(conn, options + _text(query))
        if values is None or len(values) != wanted:
            given = 0 if values is None else len(values)
            plural = "s" if wanted > 1 else ""
            raise ValueError(f"the statement takes {wanted} value{plural}, {given} given")
        prepared = await self.prepare_statement(conn, query)
        if prepared is None:
            raise ValueError("the statement cannot be prepared")
        async with self._prepared(conn, prepared.query, prepared.types) as name:
            args = sql.SQL(", ").join(sql.Literal(v) for v in values)
            execute = sql.SQL("EXECUTE {}({})").format(sql.Identifier(name), args)
            return await self._fetch_plan(conn, options + execute)

    async def use_statement_search_path(self, conn: Conn) -> None:
        """Make unqualified names resolve as the application's did (for this transaction)."""
        await conn.execute(self._sql("default_search_path"))

    async def _custom_plan(
        self, conn: Conn, query: str, types: list[str | None], values: list[str | None]
    ) -> Plan:
        async with self._prepared(conn, query, types) as name:
            return await self._explain_execute(conn, name, values, "force_custom_plan")
