"""Setting up the monitoring session once connected: what the server and role offer, where
pg_stat_statements is created when it is not in the connected database, and a search path
user objects cannot shadow."""

from __future__ import annotations

from collections.abc import Mapping

import psycopg
from psycopg import sql

from pgwatch_tui.core.collect.connection import Conn, open_connection
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.errors import ConnectError
from pgwatch_tui.core.model.capabilities import CapabilityFacts, CapabilityReport, build_report
from pgwatch_tui.core.settings import Settings

CAPABILITIES = "capabilities"  # the query file read once per connection


async def read_capabilities(
    conn: Conn,
    book: QueryBook,
    target: ConnTarget,
    settings: Settings,
    environ: Mapping[str, str],
) -> tuple[CapabilityFacts, CapabilityReport]:
    """What the server and role offer, with the search path set for the extensions found."""
    file = book.resolve(CAPABILITIES, server_major=14, pgss_version=None)
    assert file is not None, "queries/ lacks the capabilities query"
    async with conn.transaction():
        cur = await conn.execute(file.sql)
        row = await cur.fetchone()
    assert row is not None
    facts = CapabilityFacts.model_validate(dict(row))
    elsewhere: list[str] = []
    if facts.pgss_loaded and facts.pgss_version is None:
        elsewhere = await databases_with_pgss(conn, target, settings, environ, facts.database)
    report = build_report(facts, elsewhere)
    await set_search_path(conn, report)
    return facts, report


async def databases_with_pgss(
    conn: Conn, target: ConnTarget, settings: Settings, environ: Mapping[str, str], here: str
) -> list[str]:
    """Where pg_stat_statements is created, when it is not in the connected database."""
    cur = await conn.execute(
        "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate"
        " AND has_database_privilege(datname, 'CONNECT') AND datname <> %s"
        " ORDER BY datname LIMIT 20",
        (here,),
    )
    names = [str(r["datname"]) for r in await cur.fetchall()]
    await conn.rollback()  # end the read-only transaction that query opened
    found: list[str] = []
    for name in names:
        try:
            other = await open_connection(target, settings, environ=environ, dbname=name)
        except ConnectError:
            continue
        try:
            cur = await other.execute(
                "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'"
            )
            if await cur.fetchone():
                found.append(name)
        except psycopg.Error:
            pass
        finally:
            await other.close()
    return found


async def set_search_path(conn: Conn, report: CapabilityReport) -> None:
    """pg_catalog first, then the extensions' schemas: user objects never shadow ours."""
    schemas = ["pg_catalog"]
    for schema in (
        report.pg_stat_statements_schema,
        report.hypopg_schema,
        report.pgstattuple_schema,
    ):
        if schema and schema not in schemas:
            schemas.append(schema)
    path = ", ".join(sql.Identifier(s).as_string(conn) for s in schemas)
    async with conn.transaction():
        await conn.execute("SELECT pg_catalog.set_config('search_path', %s, false)", (path,))
