"""Model instances with sensible defaults, for tests that care about a few fields only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pgwatch_tui.core.model.capabilities import CapabilityFacts, CapabilityReport, build_report
from pgwatch_tui.core.model.replication_rows import (
    Archiver,
    Recovery,
    RecoveryConflicts,
    ReplicationSlot,
    Standby,
    Subscription,
)
from pgwatch_tui.core.model.rows import (
    DatabaseStats,
    IndexStats,
    LockWait,
    ServerInfo,
    Session,
    StatementStats,
    TableStats,
)
from pgwatch_tui.core.model.snapshot import ProbeState, ProbeStatus, Snapshot

T0 = datetime(2026, 11, 22, 3, 0, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def server(**over: Any) -> ServerInfo:
    values: dict[str, Any] = {
        "now": T0,
        "version_num": 150018,
        "version": "15.18",
        "started_at": T0 - timedelta(hours=50),
        "major": 15,
        "uptime_s": 50 * 3600.0,
        "in_recovery": False,
        "max_connections": 100,
        "reserved_connections": 3,
        "database": "shop",
        "current_user": "postgres",
        "is_superuser": True,
        "backend_pid": 4242,
        "settings": {"block_size": "8192", "track_io_timing": "on"},
    }
    return ServerInfo.model_validate(values | over)


def database(**over: Any) -> DatabaseStats:
    values: dict[str, Any] = {
        "datid": 16384,
        "name": "shop",
        "numbackends": 5,
        "xact_commit": 1000,
        "xact_rollback": 10,
        "blks_read": 100,
        "blks_hit": 900,
        "tup_returned": 5000,
        "tup_fetched": 3000,
        "tup_inserted": 100,
        "tup_updated": 50,
        "tup_deleted": 5,
        "conflicts": 0,
        "temp_files": 0,
        "temp_bytes": 0,
        "deadlocks": 0,
        "checksum_failures": None,
        "blk_read_time_ms": 0.0,
        "blk_write_time_ms": 0.0,
        "session_time_ms": 0.0,
        "active_time_ms": 0.0,
        "idle_in_transaction_time_ms": 0.0,
        "sessions": 10,
        "sessions_abandoned": 0,
        "sessions_fatal": 0,
        "sessions_killed": 0,
        "stats_reset": None,
        "frozen_xid_age": 1000,
        "min_mxid_age": 1,
        "connection_limit": -1,
        "allow_connections": True,
    }
    return DatabaseStats.model_validate(values | over)


def statement(**over: Any) -> StatementStats:
    values: dict[str, Any] = {
        "userid": 10,
        "dbid": 16384,
        "queryid": 111,
        "toplevel": True,
        "user": "app",
        "database": "shop",
        "calls": 100,
        "plans": 0,
        "total_exec_ms": 500.0,
        "total_plan_ms": 0.0,
        "min_exec_ms": 1.0,
        "max_exec_ms": 20.0,
        "mean_exec_ms": 5.0,
        "stddev_exec_ms": 1.0,
        "rows": 1000,
        "shared_blks_hit": 900,
        "shared_blks_read": 100,
        "shared_blks_dirtied": 0,
        "shared_blks_written": 0,
        "local_blks_hit": 0,
        "local_blks_read": 0,
        "temp_blks_read": 0,
        "temp_blks_written": 0,
        "blk_read_ms": 10.0,
        "blk_write_ms": 0.0,
        "wal_bytes": 0,
        "stats_since": None,
        "query": "SELECT * FROM orders WHERE customer_id = $1",
    }
    return StatementStats.model_validate(values | over)


def session(now: datetime = T0, **over: Any) -> Session:
    values: dict[str, Any] = {
        "pid": 100,
        "leader_pid": None,
        "database": "shop",
        "user": "app",
        "application": "shop-web",
        "client_addr": "10.0.0.5",
        "client_port": 50000,
        "backend_type": "client backend",
        "state": "active",
        "wait_event_type": None,
        "wait_event": None,
        "backend_start": T0 - timedelta(minutes=30),
        "xact_start": T0 - timedelta(seconds=2),
        "query_start": T0 - timedelta(seconds=2),
        "state_change": T0 - timedelta(seconds=2),
        "backend_xmin_age": 3,
        "backend_xid_age": None,
        "query_id": 111,
        "query": "SELECT 1",
        "query_length": 8,
        "query_truncated": False,
    }
    # Ages are given as seconds before `now` (the server clock of the snapshot the session is
    # meant for), as the views see them.
    for age, start in (
        ("xact_age_s", "xact_start"),
        ("query_age_s", "query_start"),
        ("state_age_s", "state_change"),
    ):
        if age in over:
            seconds = over.pop(age)
            values[start] = None if seconds is None else now - timedelta(seconds=seconds)
    return Session.model_validate(values | over)


def lock_wait(**over: Any) -> LockWait:
    values: dict[str, Any] = {
        "pid": 200,
        "blocking_pids": [100],
        "mode": "ShareLock",
        "locktype": "transactionid",
        "relation": "accounts",
        "target": "transaction 777",
        "waiting_since": T0 - timedelta(seconds=5),
        "wait_age_s": 5.0,
        "blocker_modes": ["ExclusiveLock"],
    }
    return LockWait.model_validate(values | over)


def table(**over: Any) -> TableStats:
    values: dict[str, Any] = {
        "relid": 5000,
        "schema_name": "public",
        "name": "orders",
        "seq_scan": 10,
        "seq_tup_read": 1000,
        "idx_scan": 5,
        "idx_tup_fetch": 50,
        "n_tup_ins": 100,
        "n_tup_upd": 10,
        "n_tup_del": 1,
        "n_tup_hot_upd": 5,
        "n_live_tup": 1000,
        "n_dead_tup": 20,
        "n_mod_since_analyze": 3,
        "last_vacuum": None,
        "last_autovacuum": T0 - timedelta(hours=1),
        "last_analyze": None,
        "last_autoanalyze": None,
        "last_seq_scan": None,
        "vacuum_count": 0,
        "autovacuum_count": 1,
        "heap_blks_read": 10,
        "heap_blks_hit": 90,
        "idx_blks_read": 1,
        "idx_blks_hit": 9,
        "table_bytes": 8192 * 100,
        "total_bytes": 8192 * 150,
        "frozen_xid_age": 1000,
    }
    return TableStats.model_validate(values | over)


def index(**over: Any) -> IndexStats:
    values: dict[str, Any] = {
        "indexrelid": 6000,
        "relid": 5000,
        "schema_name": "public",
        "table_name": "orders",
        "name": "orders_pkey",
        "idx_scan": 10,
        "idx_tup_read": 10,
        "idx_tup_fetch": 10,
        "last_idx_scan": None,
        "idx_blks_read": 1,
        "idx_blks_hit": 10,
        "size_bytes": 8192 * 20,
        "is_unique": True,
        "is_primary": True,
        "is_valid": True,
        "is_ready": True,
        "method": "btree",
        "key_columns": [1],
        "include_columns": [],
        "opclasses": [3124],
        "collations": [0],
        "options": [0],
        "expressions": None,
        "predicate": None,
        "constraint_type": "p",
        "definition": "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)",
    }
    return IndexStats.model_validate(values | over)


def facts(**over: Any) -> CapabilityFacts:
    values: dict[str, Any] = {
        "shared_preload_libraries": "pg_stat_statements",
        "pgss_loaded": True,
        "pgss_version": "1.10",
        "pgss_schema": "public",
        "pgss_available": "1.10",
        "hypopg_version": "1.3.1",
        "hypopg_schema": "public",
        "hypopg_available": "1.3.1",
        "pgstattuple_version": "1.5",
        "pgstattuple_schema": "public",
        "pgstattuple_available": "1.5",
        "role_name": "postgres",
        "database": "shop",
        "is_superuser": True,
        "has_pg_monitor": True,
        "has_read_all_stats": True,
        "has_stat_scan_tables": True,
        "has_signal_backend": True,
        "track_io_timing": True,
        "track_activities": True,
        "track_counts": True,
        "compute_query_id": "auto",
        "in_recovery": False,
        "version_num": 150018,
    }
    return CapabilityFacts.model_validate(values | over)


def report(**over: Any) -> CapabilityReport:
    return build_report(facts(**over))


def probes_ok(when: datetime, *names: str) -> dict[str, ProbeStatus]:
    return {name: ProbeStatus(state=ProbeState.OK, collected_at=when) for name in names}


def snapshot(when: datetime = T0, **over: Any) -> Snapshot:
    values: dict[str, Any] = {
        "taken_at": when,
        "server": server(now=when),
        "capabilities": report(),
        "probes": probes_ok(when, "databases", "sessions", "statements", "lock_waits"),
    }
    return Snapshot.model_validate(values | over)


def replication_slot(name: str, retained: int | None, **over: Any) -> ReplicationSlot:
    values: dict[str, Any] = dict.fromkeys(ReplicationSlot.model_fields)
    values |= {
        "slot_name": name,
        "slot_type": "physical",
        "temporary": False,
        "active": False,
        "retained_bytes": retained,
    }
    return ReplicationSlot.model_validate(values | over)


def standby(pid: int, replay_lag: int | None, **over: Any) -> Standby:
    values: dict[str, Any] = dict.fromkeys(Standby.model_fields)
    values |= {"pid": pid, "replay_lag_bytes": replay_lag, "state": "streaming"}
    return Standby.model_validate(values | over)


def archiver(**over: Any) -> Archiver:
    values: dict[str, Any] = dict.fromkeys(Archiver.model_fields)
    values |= {"archive_mode": "on", "archived_count": 10, "failed_count": 0}
    return Archiver.model_validate(values | over)


def recovery(**over: Any) -> Recovery:
    values: dict[str, Any] = dict.fromkeys(Recovery.model_fields)
    values |= {
        "receiver_status": "streaming",
        "sender_host": "10.0.0.1",
        "sender_port": 5432,
        "received_behind_bytes": 0,
        "replay_paused": False,
        "hot_standby_feedback": False,
    }
    return Recovery.model_validate(values | over)


def slot_fact(**over: object) -> dict[str, object]:
    """What the action pre-check reads of a slot (queries/action_slot_target)."""
    fact: dict[str, object] = {
        "slot_type": "physical",
        "plugin": None,
        "database": None,
        "active": False,
        "active_pid": None,
        "retained_bytes": 2 << 30,
        "xmin_age": None,
        "catalog_xmin_age": None,
        "may_drop": True,
    }
    return fact | over


def subscription(name: str = "sub", **over: Any) -> Subscription:
    values: dict[str, Any] = dict.fromkeys(Subscription.model_fields)
    values |= {
        "name": name,
        "database": "replica",
        "enabled": True,
        "publications": ["pub"],
        "worker_pid": 4242,
        "tables": 3,
        "tables_syncing": 0,
    }
    return Subscription.model_validate(values | over)


def conflicts(database: str = "shop", **over: Any) -> RecoveryConflicts:
    values: dict[str, Any] = {"database": database, "logical_slot": None}
    values |= dict.fromkeys(("tablespace", "lock", "snapshot", "bufferpin", "deadlock"), 0)
    return RecoveryConflicts.model_validate(values | over)
