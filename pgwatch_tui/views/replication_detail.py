"""The detail screen of a Replication row: every figure the server gives for it."""

from __future__ import annotations

from datetime import datetime

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.shown_sql import drop_slot
from pgwatch_tui.core.diagnose.replication_health import growth_text, seconds_since
from pgwatch_tui.core.model.replication_rows import (
    Archiver,
    Publication,
    Recovery,
    RecoveryConflicts,
    ReplicationSlot,
    Standby,
    Subscription,
)
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.views.replication import replay_delay
from pgwatch_tui.views.replication_logical import subscription_state

Fields = list[tuple[str, str]]


def _when(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "—"
    return f"{at:%Y-%m-%d %H:%M:%S} ({fmt.duration(seconds_since(at, now))} ago)"


def _ms(ms: float | None) -> str:
    return fmt.duration(ms / 1000) if ms is not None else "—"


def standby_fields(s: Standby, snapshot: Snapshot) -> Fields:
    now = snapshot.server.now
    sync = s.sync_state or "—"
    if s.sync_priority:
        sync += f" (priority {s.sync_priority})"
    return [
        ("application", printable(s.application or "—")),
        ("client", printable(s.client_addr or "local socket")),
        ("pid", str(s.pid)),
        ("state", s.state or "—"),
        ("sync state", sync),
        ("not yet sent", fmt.size(s.sent_lag_bytes)),
        ("not yet written", fmt.size(s.write_lag_bytes)),
        ("not yet flushed", fmt.size(s.flush_lag_bytes)),
        ("not yet replayed", fmt.size(s.replay_lag_bytes)),
        ("replay lag growth", f"{growth_text(snapshot.standby_lag_growth.get(s.pid))}/s"),
        (
            "write / flush / replay lag",
            " / ".join(map(_ms, (s.write_lag_ms, s.flush_lag_ms, s.replay_lag_ms))),
        ),
        ("last reply", _when(s.reply_time, now)),
        ("streaming since", _when(s.backend_start, now)),
    ]


def slot_fields(slot: ReplicationSlot, snapshot: Snapshot) -> Fields:
    now = snapshot.server.now
    fields = [
        ("slot", printable(slot.slot_name)),
        ("type", slot.slot_type + (" (temporary)" if slot.temporary else "")),
        ("plugin", printable(slot.plugin or "—")),
        ("database", printable(slot.database or "—")),
        ("active", f"yes, pid {slot.active_pid}" if slot.active else "no"),
        ("WAL it keeps", fmt.size(slot.retained_bytes)),
        ("growth", f"{growth_text(snapshot.slot_growth.get(slot.slot_name))}/s"),
        ("wal_status", slot.wal_status or "—"),
        (
            "safe_wal_size",
            fmt.size(slot.safe_wal_size)
            if slot.safe_wal_size is not None
            else "no limit (max_slot_wal_keep_size = -1)",
        ),
        ("xmin age", fmt.number(slot.xmin_age) if slot.xmin_age is not None else "—"),
        (
            "catalog xmin age",
            fmt.number(slot.catalog_xmin_age) if slot.catalog_xmin_age is not None else "—",
        ),
    ]
    if slot.inactive_since is not None:
        fields.append(("inactive since", _when(slot.inactive_since, now)))
    if slot.invalidation_reason:
        fields.append(("invalidated", printable(slot.invalidation_reason)))
    if slot.slot_type == "logical":
        fields += [
            ("spilled to disk", fmt.size(slot.spill_bytes)),
            ("streamed", fmt.size(slot.stream_bytes)),
            ("decoded", fmt.size(slot.total_bytes)),
        ]
    return fields


def archiver_fields(a: Archiver, snapshot: Snapshot) -> Fields:
    now = snapshot.server.now
    return [
        ("archive_mode", a.archive_mode),
        ("archived", fmt.number(a.archived_count)),
        (
            "last archived",
            f"{printable(a.last_archived_wal or '—')} {_when(a.last_archived_time, now)}",
        ),
        ("failed", fmt.number(a.failed_count)),
        ("last failure", f"{printable(a.last_failed_wal or '—')} {_when(a.last_failed_time, now)}"),
        ("failing now", "yes: WAL stays in pg_wal until archiving works" if a.failing else "no"),
        ("counting since", _when(a.stats_reset, now)),
    ]


def recovery_fields(r: Recovery, snapshot: Snapshot) -> Fields:
    now = snapshot.server.now
    sender = f"{r.sender_host}:{r.sender_port}" if r.sender_host else "— (WAL from the archive)"
    return [
        ("WAL receiver", r.receiver_status or "not running"),
        ("sender", printable(sender)),
        ("slot on the primary", printable(r.slot_name or "—")),
        ("received, not replayed", fmt.size(r.received_behind_bytes)),
        ("replay", "paused (pg_wal_replay_resume() resumes it)" if r.replay_paused else "running"),
        ("replay delay", replay_delay(r, now)),
        ("last message", _when(r.last_message_at, now)),
        ("last replayed commit", _when(r.last_replay_at, now)),
        ("hot_standby_feedback", "on" if r.hot_standby_feedback else "off"),
    ]


def _subscribed_tables(sub: Subscription) -> str:
    if sub.tables is None:
        return f"known in database {printable(sub.database)} only (connect there)"
    return f"{sub.tables}, {sub.tables_syncing or 0} still copying or catching up"


def subscription_fields(sub: Subscription, snapshot: Snapshot) -> Fields:
    now = snapshot.server.now
    errors = "— (PostgreSQL 15+)"
    if sub.apply_errors is not None:
        errors = f"{sub.apply_errors} applying, {sub.sync_errors or 0} copying tables"
    return [
        ("subscription", printable(sub.name)),
        ("database", printable(sub.database)),
        ("state", subscription_state(sub)),
        ("publications", printable(", ".join(sub.publications) or "—")),
        ("slot on the publisher", printable(sub.slot_name or "—")),
        ("apply worker", f"pid {sub.worker_pid}" if sub.worker_pid else "not running"),
        ("received up to", sub.received_lsn or "—"),
        ("last message sent", _when(sub.last_msg_send_time, now)),
        ("last message received", _when(sub.last_msg_receipt_time, now)),
        ("last position reported", _when(sub.latest_end_time, now)),
        ("tables", _subscribed_tables(sub)),
        ("errors", errors),
        ("lag in bytes", "on the publisher: its slot's WAL kept and its WAL sender's lag"),
    ]


def publication_fields(pub: Publication) -> Fields:
    return [
        ("publication", printable(pub.name)),
        ("publishes", "all tables" if pub.all_tables else fmt.count(pub.tables, "table")),
        ("operations", ", ".join(pub.operations) or "none"),
    ]


def conflicts_fields(c: RecoveryConflicts) -> Fields:
    return [
        ("database", printable(c.database)),
        ("rows replay removed (snapshot)", fmt.number(c.snapshot)),
        ("locks replay needed", fmt.number(c.lock)),
        ("buffers pinned too long", fmt.number(c.bufferpin)),
        ("deadlocks with replay", fmt.number(c.deadlock)),
        ("dropped tablespaces", fmt.number(c.tablespace)),
        (
            "logical slots invalidated",
            fmt.number(c.logical_slot) if c.logical_slot is not None else "— (PostgreSQL 16+)",
        ),
        (
            "what helps",
            "hot_standby_feedback = on (the primary keeps rows a standby query needs, at the"
            " cost of bloat there) or a larger max_standby_streaming_delay (replay waits)",
        ),
    ]


def replication_detail(payload: object, snapshot: Snapshot) -> tuple[str, Fields, str | None]:
    """(title, fields, SQL to copy) of the row's model."""
    if isinstance(payload, Standby):
        return (
            f"Standby {printable(payload.application or str(payload.pid))}",
            standby_fields(payload, snapshot),
            None,
        )
    if isinstance(payload, ReplicationSlot):
        title = f"Replication slot {printable(payload.slot_name)}"
        return title, slot_fields(payload, snapshot), drop_slot(payload.slot_name)
    if isinstance(payload, Archiver):
        return "WAL archiver", archiver_fields(payload, snapshot), None
    if isinstance(payload, Subscription):
        return (
            f"Subscription {printable(payload.name)}",
            subscription_fields(payload, snapshot),
            None,
        )
    if isinstance(payload, Publication):
        return f"Publication {printable(payload.name)}", publication_fields(payload), None
    if isinstance(payload, RecoveryConflicts):
        title = f"Recovery conflicts in {printable(payload.database)}"
        return title, conflicts_fields(payload), None
    if isinstance(payload, Recovery):
        return "Recovery (this server is a standby)", recovery_fields(payload, snapshot), None
    return "Replication", [], None
