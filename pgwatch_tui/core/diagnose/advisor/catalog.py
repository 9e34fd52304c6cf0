"""What the advisor reads from the catalog and HypoPG, on the session it is lent."""

from __future__ import annotations

from typing import Any

from pgwatch_tui.core.collect.connection import Conn
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.diagnose.advisor.stats import ColumnStats, TableStats
from pgwatch_tui.core.diagnose.advisor.workload import WriteSample


class Catalog:
    """Named queries from queries/, each in its own savepoint."""

    def __init__(self, book: QueryBook, major: int, recent_writes: dict[str, WriteSample]) -> None:
        self.book = book
        self.major = major
        self.recent_writes = recent_writes

    def sql(self, name: str) -> Any:
        chosen = self.book.resolve(name, server_major=self.major)
        assert chosen is not None, name
        return chosen.sql

    async def rows(self, conn: Conn, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        async with conn.transaction():
            cur = await conn.execute(self.sql(name), params)
            return [dict(r) for r in await cur.fetchall()]

    async def table_stats(self, conn: Conn, table: str) -> TableStats | None:
        rows = await self.rows(conn, "advice_table", {"table": table})
        if not rows:
            return None
        t = rows[0]
        columns = {
            c["name"]: ColumnStats(**c)
            for c in await self.rows(conn, "advice_columns", {"table": table})
        }
        # Write rates over the recent past when an earlier sample exists: averaged since the
        # statistics reset, a bulk load long ago would weigh on every suggestion.
        base = self.recent_writes.get(f"{t['schema_name']}.{t['name']}")
        seconds = t["seconds"]
        counts = {k: t[k] for k in ("inserts", "updates", "hot_updates", "deletes")}
        if base is not None and (elapsed := (t["now"] - base.at).total_seconds()) >= 1:
            counts = {k: max(counts[k] - getattr(base, k), 0.0) for k in counts}
            seconds = elapsed
        return TableStats(
            schema_name=t["schema_name"],
            name=t["name"],
            reltuples=t["reltuples"],
            relpages=t["relpages"],
            block_size=t["block_size"],
            inserts_per_s=counts["inserts"] / seconds,
            updates_per_s=counts["updates"] / seconds,
            hot_updates_per_s=counts["hot_updates"] / seconds,
            deletes_per_s=counts["deletes"] / seconds,
            index_count=t["index_count"],
            columns=columns,
        )
