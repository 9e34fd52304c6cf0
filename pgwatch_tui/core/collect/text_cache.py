"""Statement texts, read from pg_stat_statements once per query id and kept while it lives.

The statements probe runs `pg_stat_statements(false)`, which skips the texts file; texts of
query ids not seen before are read in one extra query, and forgotten when their entry is
evicted, so the cache never holds more than the extension does.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from psycopg import errors as pg_errors

from pgwatch_tui.core.collect.connection import Conn
from pgwatch_tui.core.collect.querybook import QueryFile
from pgwatch_tui.core.model.rows import StatementKey, StatementText

KEY_COLUMNS = ("userid", "dbid", "queryid", "toplevel")


class TextCache:
    def __init__(self) -> None:
        self._texts: dict[StatementKey, str] = {}
        self.fetched_last_tick = 0
        """How many query ids needed their text read in the last tick (0 in steady state)."""

    def __len__(self) -> int:
        return len(self._texts)

    async def texts_for(
        self,
        conn: Conn,
        file: QueryFile | None,
        text_max: int,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
    ) -> list[str | None]:
        """Each row's query text (None while unknown), reading only the texts not known yet.

        The texts come as a list beside the rows, not as a column added to copies of them:
        5,000 copied rows a tick cost more in allocation and collection than all the rest."""
        key_of = itemgetter(*(columns.index(name) for name in KEY_COLUMNS))
        keys: list[StatementKey] = [key_of(row) for row in rows]
        missing = {k[2] for k in keys if k not in self._texts}
        self.fetched_last_tick = len(missing)
        if missing and file is not None:
            await self._read(conn, file, sorted(missing), text_max)
        live = set(keys)
        for key in [k for k in self._texts if k not in live]:
            del self._texts[key]  # evicted from pg_stat_statements: forget its text
        known = self._texts.get
        return [known(key) for key in keys]

    async def _read(self, conn: Conn, file: QueryFile, queryids: list[int], text_max: int) -> None:
        try:
            async with conn.transaction():
                cur = await conn.execute(file.sql, {"queryids": queryids, "text_max": text_max})
                for row in await cur.fetchall():
                    text = StatementText.from_trusted(dict(row))
                    self._texts[text.key] = text.query
        except (pg_errors.QueryCanceled, pg_errors.LockNotAvailable):
            pass  # the texts stay missing and are asked for again next tick
