"""The frozen Snapshot a tick produces, with the rates derived against the previous one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from pgwatch_tui.core.model.bloat import BloatEstimate
from pgwatch_tui.core.model.capabilities import CapabilityReport
from pgwatch_tui.core.model.derived import DerivedModel
from pgwatch_tui.core.model.health_rows import ForeignKey, IndexBuild, SessionLock
from pgwatch_tui.core.model.replication_rows import (
    Archiver,
    Publication,
    Recovery,
    RecoveryConflicts,
    ReplicationSlot,
    Standby,
    Subscription,
)
from pgwatch_tui.core.model.rows import (
    CheckpointStats,
    DatabaseStats,
    IdleCount,
    IndexStats,
    LockWait,
    Row,
    ServerInfo,
    Session,
    StatementKey,
    StatementStats,
    TableStats,
    VacuumProgress,
)


class ProbeState(StrEnum):
    """How fresh a probe's data in a snapshot is."""

    OK = "ok"
    STALE = "stale"  # this tick's run failed (e.g. statement_timeout); last value kept
    OFF = "off"  # switched off for the session (e.g. insufficient privilege), with a reason
    UNSUPPORTED = "unsupported"  # no SQL applies to this server / extension version
    NOT_POLLED = "not_polled"  # not wanted by the visible pane, or not due yet


class ProbeStatus(BaseModel):
    """One probe's state in a snapshot."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: ProbeState
    reason: str | None = None
    collected_at: datetime | None = None
    duration_ms: float | None = None
    sql_file: str | None = None


class StatementsInfo(Row):
    """pg_stat_statements_info: whole-extension resets and evictions."""

    dealloc: int
    stats_reset: datetime | None


class DatabaseRates(BaseModel):
    """Per-second rates and interval ratios of one database. None means no honest value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    datid: int
    commits_per_s: float | None = None
    rollbacks_per_s: float | None = None
    tps: float | None = None
    cache_hit_ratio: float | None = None
    blks_read_per_s: float | None = None
    blks_hit_per_s: float | None = None
    tup_returned_per_s: float | None = None
    tup_fetched_per_s: float | None = None
    tup_inserted_per_s: float | None = None
    tup_updated_per_s: float | None = None
    tup_deleted_per_s: float | None = None
    temp_bytes_per_s: float | None = None
    temp_files: int | None = None
    deadlocks: int | None = None
    conflicts: int | None = None
    cumulative_cache_hit_ratio: float | None = None


class StatementDelta(DerivedModel):
    """What one statement did during the interval (and the same per second)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    userid: int
    dbid: int
    queryid: int
    toplevel: bool
    calls: int
    total_exec_ms: float
    total_plan_ms: float | None
    mean_exec_ms: float | None
    rows: int
    shared_blks_hit: int
    shared_blks_read: int
    temp_blks_read: int
    temp_blks_written: int
    blk_read_ms: float
    blk_write_ms: float
    shared_hit_ratio: float | None
    calls_per_s: float
    exec_ms_per_s: float
    rows_per_s: float
    blks_read_per_s: float
    temp_blks_per_s: float

    @property
    def key(self) -> StatementKey:
        return (self.userid, self.dbid, self.queryid, self.toplevel)

    @cached_property
    def is_zero(self) -> bool:
        """Nothing happened: no call, no planning, no block touched."""
        return not (
            self.calls
            or self.total_exec_ms
            or self.total_plan_ms
            or self.rows
            or self.shared_blks_hit
            or self.shared_blks_read
            or self.temp_blks_read
            or self.temp_blks_written
            or self.blk_read_ms
            or self.blk_write_ms
        )


@dataclass(frozen=True)
class ClientTally:
    """The listed client sessions counted in one pass: the header, the Overview, its history
    and the Activity summary all read these every tick, over up to thousands of sessions."""

    listed: int
    by_state: Mapping[str | None, int]
    waiting_on_locks: int
    oldest_xact_s: float | None

    @property
    def active(self) -> int:
        return self.by_state.get("active", 0)

    @property
    def idle_in_transaction(self) -> int:
        """Both 'idle in transaction' and 'idle in transaction (aborted)'."""
        states = self.by_state.items()
        return sum(n for state, n in states if (state or "").startswith("idle in transaction"))


def tally_clients(sessions: tuple[Session, ...], now: datetime) -> ClientTally:
    by_state: Counter[str | None] = Counter()
    listed = waiting = 0
    oldest: float | None = None
    for s in sessions:
        if not s.is_client:
            continue
        listed += 1
        by_state[s.state] += 1
        if s.waits_on_lock:
            waiting += 1
        age = s.xact_age(now)
        if age is not None and (oldest is None or age > oldest):
            oldest = age
    return ClientTally(listed, by_state, waiting, oldest)


class Snapshot(DerivedModel):
    """Everything one tick saw. Probes not run this tick carry their last value (see probes)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    taken_at: datetime
    server: ServerInfo
    capabilities: CapabilityReport
    databases: tuple[DatabaseStats, ...] = ()
    sessions: tuple[Session, ...] = ()
    idle_count: IdleCount | None = None  # set when `sessions` leaves idle ones out
    lock_waits: tuple[LockWait, ...] = ()
    statements: tuple[StatementStats, ...] = ()
    statements_info: StatementsInfo | None = None
    tables: tuple[TableStats, ...] = ()
    indexes: tuple[IndexStats, ...] = ()
    vacuum_progress: tuple[VacuumProgress, ...] = ()
    checkpoints: CheckpointStats | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    index_builds: tuple[IndexBuild, ...] = ()
    session_locks: tuple[SessionLock, ...] = ()
    replication: tuple[Standby, ...] = ()
    replication_slots: tuple[ReplicationSlot, ...] = ()
    archiver: Archiver | None = None
    recovery: Recovery | None = None  # on a standby only
    recovery_conflicts: tuple[RecoveryConflicts, ...] = ()  # on a standby only
    subscriptions: tuple[Subscription, ...] = ()
    publications: tuple[Publication, ...] = ()
    table_bloat: tuple[BloatEstimate, ...] = ()
    index_bloat: tuple[BloatEstimate, ...] = ()
    probes: dict[str, ProbeStatus] = Field(default_factory=dict)
    interval_s: float | None = None
    database_rates: tuple[DatabaseRates, ...] = ()
    statement_deltas: tuple[StatementDelta, ...] = ()
    slot_growth: dict[str, float] = Field(default_factory=dict)
    """Bytes per second by which each slot's retained WAL grew since the last reading."""
    standby_lag_growth: dict[int, float] = Field(default_factory=dict)
    """Bytes per second by which each WAL sender's replay lag grew (by pid)."""
    conflict_rate: dict[str, float] = Field(default_factory=dict)
    """Queries cancelled per second by recovery conflicts since the last reading (by
    database, on a standby)."""

    @cached_property
    def rates_by_datid(self) -> dict[int, DatabaseRates]:
        return {r.datid: r for r in self.database_rates}

    @cached_property
    def delta_by_key(self) -> dict[StatementKey, StatementDelta]:
        return {d.key: d for d in self.statement_deltas}

    @cached_property
    def current_database(self) -> DatabaseStats | None:
        for db in self.databases:
            if db.name == self.server.database:
                return db
        return None

    @cached_property
    def unlisted_idle_clients(self) -> int:
        """Idle client sessions left out of `sessions` (only their number was read)."""
        return self.idle_count.idle_clients if self.idle_count is not None else 0

    @cached_property
    def clients(self) -> ClientTally:
        """The listed client sessions by state, waiting, and the oldest transaction's age."""
        return tally_clients(self.sessions, self.server.now)

    @property
    def client_count(self) -> int:
        """Client backends connected, listed or not."""
        return self.clients.listed + self.unlisted_idle_clients

    @property
    def idle_client_count(self) -> int:
        return self.clients.by_state.get("idle", 0) + self.unlisted_idle_clients

    def probe_state(self, name: str) -> ProbeState:
        status = self.probes.get(name)
        return status.state if status else ProbeState.NOT_POLLED
