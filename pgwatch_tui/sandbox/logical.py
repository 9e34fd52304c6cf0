"""Logical replication inside one sandbox cluster: a publication in one database and a
subscription to it in another (the cluster needs wal_level = logical)."""

from __future__ import annotations

import psycopg
from psycopg import sql

from pgwatch_tui.sandbox.cluster import SandboxCluster


def subscribe(
    cluster: SandboxCluster,
    *,
    name: str,
    publisher_db: str,
    subscriber_db: str,
    tables: dict[str, str],
) -> None:
    """Publish `tables` (name: column definitions) of `publisher_db` as publication `name` and
    subscribe to it from `subscriber_db`, which gets the same tables, empty, first.

    Within one cluster CREATE SUBSCRIPTION cannot create its slot (it would wait for its own
    transaction to end), so the slot is made first and the subscription told to use it."""
    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(subscriber_db)))
    with psycopg.connect(cluster.conninfo(dbname=subscriber_db), autocommit=True) as conn:
        for table, columns in tables.items():
            conn.execute(
                sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table), sql.SQL(columns))
            )
    with psycopg.connect(cluster.conninfo(dbname=publisher_db), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE PUBLICATION {} FOR TABLE {}").format(
                sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, tables))
            )
        )
        conn.execute("SELECT pg_create_logical_replication_slot(%s, 'pgoutput')", [name])
    source = cluster.conninfo(dbname=publisher_db)
    with psycopg.connect(cluster.conninfo(dbname=subscriber_db), autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "CREATE SUBSCRIPTION {name} CONNECTION {source} PUBLICATION {name}"
                " WITH (create_slot = false, slot_name = {slot})"
            ).format(name=sql.Identifier(name), source=sql.Literal(source), slot=sql.Literal(name))
        )
