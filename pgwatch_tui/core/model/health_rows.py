"""Row models of the probes behind the Bloat and Indexes panes and the session detail."""

from __future__ import annotations

from datetime import datetime

from pgwatch_tui.core.model.rows import Row


class ForeignKey(Row):
    """A foreign key constraint and its referencing columns."""

    constraint_oid: int
    name: str
    relid: int
    schema_name: str
    table_name: str
    columns: list[int]
    column_names: list[str]
    referenced_table: str


class IndexBuild(Row):
    """A CREATE INDEX or REINDEX in progress (pg_stat_progress_create_index)."""

    pid: int
    database: str
    relid: int
    index_relid: int
    index_name: str | None
    command: str
    phase: str
    lockers_total: int
    lockers_done: int
    current_locker_pid: int | None
    blocks_total: int
    blocks_done: int
    tuples_total: int
    tuples_done: int
    partitions_total: int
    partitions_done: int


class SessionLock(Row):
    """One lock a session holds or waits for."""

    locktype: str
    mode: str
    granted: bool
    fastpath: bool
    relation: str | None
    target: str
    waiting_since: datetime | None


class TableBloatInput(Row):
    """Catalog figures a table bloat estimate is computed from."""

    relid: int
    schema_name: str
    name: str
    relpages: int
    reltuples: float
    fillfactor: int
    block_size: int
    widths: list[int]
    null_fracs: list[float]
    aligns: list[str]
    lengths: list[int]
    missing_stats: int
    last_vacuum: datetime | None
    n_dead_tup: int


class IndexBloatInput(Row):
    """Catalog figures a btree bloat estimate is computed from."""

    indexrelid: int
    schema_name: str
    name: str
    table_name: str
    relpages: int
    index_tuples: float
    table_tuples: float
    fillfactor: int
    block_size: int
    is_unique: bool
    key_count: int
    column_count: int
    is_partial: bool
    can_deduplicate: bool
    widths: list[int]
    null_fracs: list[float]
    n_distincts: list[float]
    aligns: list[str]
    lengths: list[int]
    expressions: list[bool]
    missing_stats: int
    last_vacuum: datetime | None
