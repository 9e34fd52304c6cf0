"""Replication pane rows: WAL senders, slots, the archiver and (on a standby) the receiver,
one table so that sorting by "behind" puts whatever holds the most WAL on top."""

from __future__ import annotations

from datetime import datetime

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.diagnose.replication_health import (
    growth_text,
    recovery_concern,
    replication_problems,
    seconds_since,
    slot_concern,
    standby_concern,
)
from pgwatch_tui.core.model.replication_rows import Archiver, Recovery, ReplicationSlot, Standby
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.views.replication_logical import (
    TONES,
    conflicts_row,
    publication_row,
    subscription_row,
)
from pgwatch_tui.views.table import Cell, Column, TableRow, Tone

COLUMNS: tuple[Column, ...] = (
    Column("name", "name", 18, priority=0, min_width=12),
    Column("what", "what", 13, priority=0),
    Column("state", "state", 13, priority=0),
    Column("behind", "behind", 9, priority=0, right=True),
    Column("growth", "growth/s", 9, priority=1, right=True),
    Column("lag", "lag", 8, priority=2, right=True),
    Column("detail", "detail", 30, priority=3, flexible=True, min_width=12),
)
SORTABLE = ("behind", "growth", "lag", "name", "what", "state")
DEFAULT_SORT = "behind"


def _lag_s(ms: float | None) -> float | None:
    return ms / 1000 if ms is not None else None


def standby_tone(standby: Standby, growth: float | None) -> Tone:
    return TONES[standby_concern(standby, growth)]


def sender_kind(standby: Standby) -> str:
    kind = "subscriber" if standby.is_logical else "standby"
    return f"sync {kind}" if standby.is_sync else kind


def standby_row(standby: Standby, snapshot: Snapshot) -> TableRow:
    s = standby
    growth = snapshot.standby_lag_growth.get(s.pid)
    name = s.application or f"pid {s.pid}"
    sync = s.sync_state or "?"
    details = [
        f"sync state {sync}",
        f"sent {fmt.size(s.sent_lag_bytes)}",
        f"flushed {fmt.size(s.flush_lag_bytes)}",
        f"reply {fmt.duration(seconds_since(s.reply_time, snapshot.server.now))} ago",
        f"from {s.client_addr or 'local socket'}",
    ]
    if s.slot_name:
        details.append(f"slot {s.slot_name}")
    return TableRow(
        f"standby:{s.pid}",
        {
            "name": Cell(printable(name), name),
            "what": Cell(sender_kind(s), f"1 {sync}"),
            "state": Cell(s.state or "—", s.state),
            "behind": Cell(fmt.size(s.replay_lag_bytes), s.replay_lag_bytes),
            "growth": Cell(growth_text(growth), growth),
            "lag": Cell(fmt.duration(_lag_s(s.replay_lag_ms)), s.replay_lag_ms),
            "detail": Cell(" · ".join(details)),
        },
        standby_tone(s, growth),
        s,
    )


def slot_tone(slot: ReplicationSlot) -> Tone:
    return TONES[slot_concern(slot)]


def slot_state(slot: ReplicationSlot) -> str:
    if slot.invalidation_reason:
        return f"invalid: {slot.invalidation_reason}"
    return "active" if slot.active else "inactive"


def slot_row(slot: ReplicationSlot, snapshot: Snapshot) -> TableRow:
    growth = snapshot.slot_growth.get(slot.slot_name)
    kind = slot.slot_type if slot.plugin is None else f"{slot.slot_type} {slot.plugin}"
    details = [f"wal {slot.wal_status or '—'}"]
    if slot.plugin:
        details.append(f"plugin {slot.plugin}")
    if slot.active_pid:
        details.append(f"used by pid {slot.active_pid}")
    if slot.safe_wal_size is not None:
        details.append(f"{fmt.size(slot.safe_wal_size)} until max_slot_wal_keep_size")
    if slot.database:
        details.append(f"db {slot.database}")
    for label, age in (("xmin", slot.xmin_age), ("catalog xmin", slot.catalog_xmin_age)):
        if age is not None:
            details.append(f"{label} age {fmt.number(age)}")
    if slot.spill_bytes:
        details.append(f"spilled {fmt.size(slot.spill_bytes)}")
    idle_for = seconds_since(slot.inactive_since, snapshot.server.now)
    return TableRow(
        f"slot:{slot.slot_name}",
        {
            "name": Cell(printable(slot.slot_name), slot.slot_name),
            "what": Cell(f"{slot.slot_type} slot", f"2 {kind}"),
            "state": Cell(slot_state(slot), slot.active),
            "behind": Cell(fmt.size(slot.retained_bytes), slot.retained_bytes),
            "growth": Cell(growth_text(growth), growth),
            "lag": Cell(fmt.coarse_duration(idle_for) if idle_for is not None else "", idle_for),
            "detail": Cell(printable(" · ".join(details))),
        },
        slot_tone(slot),
        slot,
    )


def archiver_row(archiver: Archiver, snapshot: Snapshot) -> TableRow:
    a, now = archiver, snapshot.server.now
    if a.archive_mode == "off":
        state, tone, detail = "off", Tone.MUTED, "archive_mode = off: WAL is not archived"
    elif snapshot.server.in_recovery and a.archive_mode != "always":
        state, tone = "primary's job", Tone.MUTED
        detail = "a standby archives only with archive_mode = always"
    elif a.failing:
        state, tone = "failing", Tone.ALERT
        failed_for = fmt.duration(seconds_since(a.last_failed_time, now))
        detail = f"{a.last_failed_wal} failed {failed_for} ago; WAL stays in pg_wal until it works"
    else:
        state, tone = "archiving", Tone.NORMAL
        last = a.last_archived_wal or "nothing yet"
        detail = f"last {last}, {fmt.duration(seconds_since(a.last_archived_time, now))} ago"
    counts = f"{fmt.number(a.archived_count)} archived, {fmt.number(a.failed_count)} failed"
    return TableRow(
        "archiver",
        {
            "name": Cell("archiver", "archiver"),
            "what": Cell(f"archive {a.archive_mode}", "3"),
            "state": Cell(state, state),
            "behind": Cell(""),
            "growth": Cell(""),
            "lag": Cell(""),
            "detail": Cell(printable(f"{detail} · {counts}")),
        },
        tone,
        a,
    )


def recovery_tone(recovery: Recovery) -> Tone:
    return TONES[recovery_concern(recovery)]


def replay_delay(recovery: Recovery, now: datetime) -> str:
    """How old the last replayed commit is; with everything received replayed, that is
    the primary being idle, not the standby being late."""
    age = seconds_since(recovery.last_replay_at, now)
    if age is None:
        return "nothing replayed yet"
    if not recovery.received_behind_bytes and not recovery.replay_paused:
        return f"all received WAL replayed (last commit {fmt.duration(age)} ago: primary idle?)"
    return f"replaying commits from {fmt.duration(age)} ago"


def recovery_row(recovery: Recovery, snapshot: Snapshot) -> TableRow:
    r, now = recovery, snapshot.server.now
    sender = f"{r.sender_host}:{r.sender_port}" if r.sender_host else "the archive"
    status = r.receiver_status or "no receiver"
    state = "replay paused" if r.replay_paused else status
    details = [f"from {sender}", replay_delay(r, now)]
    if r.slot_name:
        details.append(f"slot {r.slot_name}")
    details.append(f"hot_standby_feedback {'on' if r.hot_standby_feedback else 'off'}")
    if r.last_message_at is not None:
        details.append(f"last message {fmt.duration(seconds_since(r.last_message_at, now))} ago")
    return TableRow(
        "receiver",
        {
            "name": Cell("WAL receiver", "receiver"),
            "what": Cell("this standby", "0"),
            "state": Cell(state, state),
            "behind": Cell(fmt.size(r.received_behind_bytes), r.received_behind_bytes),
            "growth": Cell(""),
            "lag": Cell(""),
            "detail": Cell(printable(" · ".join(details))),
        },
        recovery_tone(r),
        r,
    )


def replication_rows(snapshot: Snapshot) -> list[TableRow]:
    rows = []
    if snapshot.recovery is not None:
        rows.append(recovery_row(snapshot.recovery, snapshot))
    rows.extend(standby_row(s, snapshot) for s in snapshot.replication)
    rows.extend(slot_row(s, snapshot) for s in snapshot.replication_slots)
    rows.extend(subscription_row(s, snapshot) for s in snapshot.subscriptions)
    rows.extend(publication_row(p) for p in snapshot.publications)
    rows.extend(conflicts_row(c, snapshot) for c in snapshot.recovery_conflicts if c.total)
    if snapshot.archiver is not None:
        rows.append(archiver_row(snapshot.archiver, snapshot))
    return rows


def replication_warnings(snapshot: Snapshot) -> list[tuple[str, Tone]]:
    """What the header and the pane's summary put first, most harmful first."""
    return [(p.text, TONES[p.concern]) for p in replication_problems(snapshot)]


def replication_summary(snapshot: Snapshot, rows: list[TableRow]) -> str:
    role = "standby" if snapshot.server.in_recovery else "primary"
    senders = len(snapshot.replication)
    parts = [
        role,
        fmt.count(senders, "sender"),
        fmt.count(len(snapshot.replication_slots), "slot"),
    ]
    warnings = replication_warnings(snapshot)
    if warnings:
        parts.append("⚠ " + "; ".join(text for text, _ in warnings))
    return " · ".join(parts)
