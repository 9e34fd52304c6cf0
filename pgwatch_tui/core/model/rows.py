"""Frozen row models, one per probe. Field names carry their unit (_ms, _s, _bytes, _age).

Each probe's SQL selects exactly these columns; an integration test validates real rows
against these models strictly, so at run time rows can be built without re-validation.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any, Self, cast

from pydantic import ConfigDict

from pgwatch_tui.core.model.derived import DerivedModel


class Row(DerivedModel):
    """Base of every row model: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def from_trusted(cls, values: dict[str, Any]) -> Self:
        """Build from a probe row whose types the integration tests have checked: no
        validation, which for thousands of rows a tick would cost more than the query."""
        # The pydantic plugin types model_construct by the defining class; the call is exact.
        return cast(Self, cls.model_construct(None, **values))


def seconds_since(start: datetime | None, now: datetime) -> float | None:
    """Seconds from `start` to `now`; a start after `now` (a session that began while the
    tick was being read) counts as 0, a missing start stays None."""
    if start is None:
        return None
    return max((now - start).total_seconds(), 0.0)


class ServerInfo(Row):
    """The monitored server, read every tick (it also carries the tick's server clock)."""

    now: datetime
    version_num: int
    version: str
    started_at: datetime
    in_recovery: bool
    max_connections: int
    reserved_connections: int
    database: str
    current_user: str
    backend_pid: int
    major: int
    uptime_s: float
    # From server_settings, read rarely and merged in by the poller:
    is_superuser: bool
    settings: dict[str, str]
    activity_query_size: int = 1024  # track_activity_query_size, in bytes


class IdleCount(Row):
    """Idle client sessions counted on the server when the sessions probe did not list them."""

    idle_clients: int


class ServerSettings(Row):
    """The slow-changing part of ServerInfo: read on connect and every tables_interval_s."""

    is_superuser: bool
    activity_query_size: int
    settings: dict[str, str]


class DatabaseStats(Row):
    """One row of pg_stat_database plus wraparound ages."""

    datid: int
    name: str
    numbackends: int
    xact_commit: int
    xact_rollback: int
    blks_read: int
    blks_hit: int
    tup_returned: int
    tup_fetched: int
    tup_inserted: int
    tup_updated: int
    tup_deleted: int
    conflicts: int
    temp_files: int
    temp_bytes: int
    deadlocks: int
    checksum_failures: int | None
    blk_read_time_ms: float
    blk_write_time_ms: float
    session_time_ms: float
    active_time_ms: float
    idle_in_transaction_time_ms: float
    sessions: int
    sessions_abandoned: int
    sessions_fatal: int
    sessions_killed: int
    stats_reset: datetime | None
    frozen_xid_age: int
    min_mxid_age: int
    connection_limit: int
    allow_connections: bool


class Session(Row):
    """One backend from pg_stat_activity (pgwatch's own backend is never included)."""

    pid: int
    leader_pid: int | None
    database: str | None
    user: str | None
    application: str
    client_addr: str | None
    client_port: int | None
    backend_type: str | None  # NULL for a moment while a backend starts
    state: str | None
    wait_event_type: str | None
    wait_event: str | None
    backend_start: datetime | None
    xact_start: datetime | None
    query_start: datetime | None
    state_change: datetime | None
    backend_xmin_age: int | None
    backend_xid_age: int | None
    query_id: int | None
    query: str
    query_length: int
    query_truncated: bool

    @property
    def is_client(self) -> bool:
        return self.backend_type == "client backend"

    # Ages are worked out against the snapshot's server clock (Snapshot.server.now) rather
    # than read from the server: a session's row then changes only when the session does.
    def xact_age(self, now: datetime) -> float | None:
        """Seconds in the current transaction; None outside one."""
        return seconds_since(self.xact_start, now)

    def query_age(self, now: datetime) -> float | None:
        """Seconds since the current (or, when idle, the last) query started."""
        return seconds_since(self.query_start, now)

    def state_age(self, now: datetime) -> float | None:
        """Seconds in the current state."""
        return seconds_since(self.state_change, now)

    @property
    def waits_on_lock(self) -> bool:
        return self.wait_event_type == "Lock"


class LockWait(Row):
    """A session waiting on a lock, with the sessions in its way."""

    pid: int
    blocking_pids: list[int]
    mode: str
    locktype: str
    relation: str | None
    target: str
    waiting_since: datetime | None
    wait_age_s: float | None
    blocker_modes: list[str]


StatementKey = tuple[int, int, int, bool]


class StatementStats(Row):
    """One pg_stat_statements entry, normalised across extension versions."""

    userid: int
    dbid: int
    queryid: int
    toplevel: bool
    user: str | None
    database: str | None
    calls: int
    plans: int | None
    total_exec_ms: float
    total_plan_ms: float | None
    min_exec_ms: float
    max_exec_ms: float
    mean_exec_ms: float
    stddev_exec_ms: float
    rows: int
    shared_blks_hit: int
    shared_blks_read: int
    shared_blks_dirtied: int
    shared_blks_written: int
    local_blks_hit: int
    local_blks_read: int
    temp_blks_read: int
    temp_blks_written: int
    blk_read_ms: float
    blk_write_ms: float
    wal_bytes: int | None
    stats_since: datetime | None
    query: str | None = None

    @cached_property  # the poller hands out unchanged rows again: worked out once per row
    def key(self) -> StatementKey:
        return (self.userid, self.dbid, self.queryid, self.toplevel)


class StatementText(Row):
    """A statement's normalised text, fetched once per new query id."""

    userid: int
    dbid: int
    queryid: int
    toplevel: bool
    query: str
    query_length: int

    @property
    def key(self) -> StatementKey:
        return (self.userid, self.dbid, self.queryid, self.toplevel)


class TableStats(Row):
    """A user table: activity, vacuum state, cache hits and sizes."""

    relid: int
    schema_name: str
    name: str
    seq_scan: int
    seq_tup_read: int
    idx_scan: int | None
    idx_tup_fetch: int | None
    n_tup_ins: int
    n_tup_upd: int
    n_tup_del: int
    n_tup_hot_upd: int
    n_live_tup: int
    n_dead_tup: int
    n_mod_since_analyze: int
    last_vacuum: datetime | None
    last_autovacuum: datetime | None
    last_analyze: datetime | None
    last_autoanalyze: datetime | None
    last_seq_scan: datetime | None
    vacuum_count: int
    autovacuum_count: int
    heap_blks_read: int
    heap_blks_hit: int
    idx_blks_read: int | None
    idx_blks_hit: int | None
    table_bytes: int
    total_bytes: int
    frozen_xid_age: int


class IndexStats(Row):
    """A user index: usage, cache hits, size and definition flags."""

    indexrelid: int
    relid: int
    schema_name: str
    table_name: str
    name: str
    idx_scan: int
    idx_tup_read: int
    idx_tup_fetch: int
    last_idx_scan: datetime | None
    idx_blks_read: int
    idx_blks_hit: int
    size_bytes: int
    is_unique: bool
    is_primary: bool
    is_valid: bool
    is_ready: bool
    method: str
    key_columns: list[int]
    include_columns: list[int]
    opclasses: list[int]
    collations: list[int]
    options: list[int]
    expressions: str | None
    predicate: str | None
    constraint_type: str | None
    definition: str


class VacuumProgress(Row):
    """A running VACUUM from pg_stat_progress_vacuum."""

    pid: int
    database: str
    relation: str | None
    phase: str
    heap_blks_total: int
    heap_blks_scanned: int
    heap_blks_vacuumed: int
    index_vacuum_count: int
    dead_tuple_bytes: int | None
    max_dead_tuple_bytes: int | None
    dead_items: int | None
    is_wraparound: bool
    running_s: float | None


class CheckpointStats(Row):
    """Checkpointer counters (pg_stat_bgwriter before 17, pg_stat_checkpointer since)."""

    checkpoints_timed: int
    checkpoints_requested: int
    write_time_ms: float
    sync_time_ms: float
    buffers_written: int
    stats_reset: datetime | None
