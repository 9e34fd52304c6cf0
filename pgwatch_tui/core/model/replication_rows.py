"""Replication as the server reports it: standbys, slots, the archiver, and recovery."""

from __future__ import annotations

from datetime import datetime

from pgwatch_tui.core.model.rows import Row


class Standby(Row):
    """One WAL sender (pg_stat_replication): a standby or a logical subscriber, as seen from
    the server it streams from. Lags are bytes behind this server's WAL position."""

    pid: int
    application: str | None
    client_addr: str | None
    state: str | None
    sync_state: str | None
    sync_priority: int | None
    sent_lag_bytes: int | None
    write_lag_bytes: int | None
    flush_lag_bytes: int | None
    replay_lag_bytes: int | None
    write_lag_ms: float | None
    flush_lag_ms: float | None
    replay_lag_ms: float | None
    reply_time: datetime | None
    backend_start: datetime | None
    slot_name: str | None = None  # the slot it streams through, if any
    slot_type: str | None = None

    @property
    def is_logical(self) -> bool:
        """A logical subscriber (a subscription, a change-data-capture client)."""
        return self.slot_type == "logical"

    @property
    def is_sync(self) -> bool:
        """Commits on the primary wait for it (sync or quorum)."""
        return self.sync_state in ("sync", "quorum")


class ReplicationSlot(Row):
    """One slot (pg_replication_slots), with the WAL it keeps and its logical counters."""

    slot_name: str
    slot_type: str
    plugin: str | None
    database: str | None
    temporary: bool
    active: bool
    active_pid: int | None
    retained_bytes: int | None
    """WAL kept for it: this server's WAL position minus its restart_lsn."""
    wal_status: str | None
    safe_wal_size: int | None
    xmin_age: int | None
    catalog_xmin_age: int | None
    inactive_since: datetime | None  # 17+
    invalidation_reason: str | None  # 17+
    spill_bytes: int | None
    stream_bytes: int | None
    total_bytes: int | None

    @property
    def retains_wal_unused(self) -> bool:
        """Inactive and holding WAL back: the disk fills until it is used or dropped."""
        return not self.active and bool(self.retained_bytes)


class Archiver(Row):
    """pg_stat_archiver, and whether archiving is on at all."""

    archive_mode: str
    archived_count: int
    last_archived_wal: str | None
    last_archived_time: datetime | None
    failed_count: int
    last_failed_wal: str | None
    last_failed_time: datetime | None
    stats_reset: datetime | None

    @property
    def failing(self) -> bool:
        """The last attempt failed: WAL piles up in pg_wal until archiving works again."""
        failed, archived = self.last_failed_time, self.last_archived_time
        return failed is not None and (archived is None or failed > archived)


class Recovery(Row):
    """On a standby: where replay stands and the WAL receiver feeding it (absent on a
    primary). The receiver's columns are empty when WAL comes from the archive instead."""

    receiver_status: str | None
    sender_host: str | None
    sender_port: int | None
    slot_name: str | None
    received_behind_bytes: int | None
    """Received but not yet replayed."""
    last_message_at: datetime | None
    last_replay_at: datetime | None
    """The commit time of the last transaction replayed (pg_last_xact_replay_timestamp)."""
    replay_paused: bool
    hot_standby_feedback: bool


class Subscription(Row):
    """One logical subscription of this cluster (pg_subscription, a shared catalog) with its
    apply worker (pg_stat_subscription). Its lag in bytes is known on the publisher only (the
    subscription's slot there); here, how long ago the publisher last spoke."""

    name: str
    database: str
    enabled: bool
    slot_name: str | None
    publications: list[str]
    worker_pid: int | None
    received_lsn: str | None
    last_msg_send_time: datetime | None
    last_msg_receipt_time: datetime | None
    latest_end_time: datetime | None
    tables: int | None
    tables_syncing: int | None
    """Tables still being copied or catching up (pg_subscription_rel not 'r'); known only
    when connected to the subscription's database."""
    apply_errors: int | None  # 15+
    sync_errors: int | None  # 15+

    @property
    def stalled(self) -> bool:
        """Enabled, but no apply worker: it keeps failing (see the server log)."""
        return self.enabled and self.worker_pid is None


class Publication(Row):
    """One publication of the current database."""

    name: str
    all_tables: bool
    operations: list[str]
    tables: int


class RecoveryConflicts(Row):
    """Queries cancelled on a standby by one database's recovery conflicts
    (pg_stat_database_conflicts); read on a standby only."""

    database: str
    tablespace: int
    lock: int
    snapshot: int
    bufferpin: int
    deadlock: int
    logical_slot: int | None  # 16+: confl_active_logicalslot

    @property
    def total(self) -> int:
        counts = (self.tablespace, self.lock, self.snapshot, self.bufferpin, self.deadlock)
        return sum(counts) + (self.logical_slot or 0)
