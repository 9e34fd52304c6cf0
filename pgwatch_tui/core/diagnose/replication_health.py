"""What is wrong with replication right now, most harmful first: shared by the header, the
Replication pane and `pgwatch snapshot`'s text summary."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import NamedTuple

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.replication_rows import (
    Recovery,
    ReplicationSlot,
    Standby,
    Subscription,
)
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line

GROWING_BYTES_PER_S = 1024.0  # below this a lag that "grows" is noise between readings
SLOT_ALERT_BYTES = 1 << 30  # an unused slot keeping a gigabyte: the disk is at stake


class Concern(IntEnum):
    NONE = 0
    MARKED = 1  # worth a look
    SEVERE = 2  # pages someone: the disk fills, commits stall, the standby stops


class ReplicationProblem(NamedTuple):
    text: str
    concern: Concern


def seconds_since(when: datetime | None, now: datetime) -> float | None:
    return max((now - when).total_seconds(), 0.0) if when is not None else None


def growing(growth: float | None) -> bool:
    return growth is not None and growth > GROWING_BYTES_PER_S


def growth_text(growth: float | None) -> str:
    if growth is None:
        return "—"
    if abs(growth) < GROWING_BYTES_PER_S:
        return "steady"
    sign = "+" if growth > 0 else "-"
    return f"{sign}{fmt.size(abs(growth))}"


def standby_concern(standby: Standby, growth: float | None) -> Concern:
    if standby.is_sync and standby.replay_lag_bytes and growing(growth):
        return Concern.SEVERE  # every commit on the primary waits for it
    if growing(growth) or standby.state not in ("streaming", None):
        return Concern.MARKED
    return Concern.NONE


def slot_lost(slot: ReplicationSlot) -> bool:
    return slot.wal_status == "lost" or bool(slot.invalidation_reason)


def slot_concern(slot: ReplicationSlot) -> Concern:
    if slot_lost(slot):
        return Concern.SEVERE
    if slot.retains_wal_unused:
        big = (slot.retained_bytes or 0) >= SLOT_ALERT_BYTES or slot.wal_status == "unreserved"
        return Concern.SEVERE if big else Concern.MARKED
    return Concern.NONE


def recovery_concern(recovery: Recovery) -> Concern:
    if recovery.receiver_status not in ("streaming", None):
        return Concern.SEVERE
    if recovery.replay_paused:
        return Concern.MARKED
    return Concern.NONE


def subscription_concern(subscription: Subscription) -> Concern:
    if subscription.stalled:
        return Concern.SEVERE  # nothing is applied, and its slot on the publisher keeps WAL
    if not subscription.enabled or subscription.apply_errors:
        return Concern.MARKED
    return Concern.NONE


def _name(text: str) -> str:
    return one_line(text, 24)


def replication_problems(snapshot: Snapshot) -> list[ReplicationProblem]:
    problems = []
    unused = [s for s in snapshot.replication_slots if s.retains_wal_unused]
    for slot in sorted(unused, key=lambda s: -(s.retained_bytes or 0)):
        growth = snapshot.slot_growth.get(slot.slot_name)
        rate = f", {growth_text(growth)}/s" if growing(growth) else ""
        text = f"slot {_name(slot.slot_name)} unused, keeps {fmt.size(slot.retained_bytes)}{rate}"
        problems.append(ReplicationProblem(text, slot_concern(slot)))
    for slot in snapshot.replication_slots:
        if slot_lost(slot):
            problems.append(
                ReplicationProblem(f"slot {_name(slot.slot_name)} lost its WAL", Concern.SEVERE)
            )
    for standby in snapshot.replication:
        growth = snapshot.standby_lag_growth.get(standby.pid)
        if standby_concern(standby, growth) is Concern.SEVERE:
            name = _name(standby.application or str(standby.pid))
            problems.append(ReplicationProblem(f"sync standby {name} lags", Concern.SEVERE))
    archiver = snapshot.archiver
    if archiver is not None and archiver.archive_mode != "off" and archiver.failing:
        problems.append(ReplicationProblem("archiver failing", Concern.SEVERE))
    # A standby has the primary's catalog, subscriptions included, but runs none of them.
    subscriptions = () if snapshot.server.in_recovery else snapshot.subscriptions
    for sub in subscriptions:
        if sub.stalled:
            text = f"subscription {_name(sub.name)} has no worker"
            problems.append(ReplicationProblem(text, Concern.SEVERE))
        elif not sub.enabled:
            text = f"subscription {_name(sub.name)} disabled"
            problems.append(ReplicationProblem(text, Concern.MARKED))
    cancelling = sorted(db for db, rate in snapshot.conflict_rate.items() if rate > 0)
    if cancelling:
        where = ", ".join(_name(db) for db in cancelling[:3])
        problems.append(ReplicationProblem(f"standby cancels queries ({where})", Concern.MARKED))
    recovery = snapshot.recovery
    if recovery is not None and recovery_concern(recovery) is not Concern.NONE:
        paused = recovery.replay_paused and recovery_concern(recovery) is Concern.MARKED
        text = "replay paused" if paused else f"WAL receiver {recovery.receiver_status}"
        problems.append(ReplicationProblem(text, recovery_concern(recovery)))
    return problems
