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
