"""Setting up the monitoring session once connected: where pg_stat_statements is created when
it is not in the connected database, and a search path user objects cannot shadow."""

from __future__ import annotations

from collections.abc import Mapping

import psycopg
from psycopg import sql

from pgwatch_tui.core.capabilities import CapabilityReport
from pgwatch_tui.core.connection import Conn, open_connection
from pgwatch_tui.core.conninfo import ConnTarget
from pgwatch_tui.core.errors import ConnectError
from pgwatch_tui.core.settings import Settings


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
