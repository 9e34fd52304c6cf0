"""Bounded history of server-wide figures, for the Overview charts.

Points are kept in arrays of floats allocated once, at their full size (`max_points`): a
ring buffer per metric, read back as the last `minutes` of server time. Memory is the same
in the first minute as after a week, with no object per point for the allocator to scatter.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from pgwatch_tui.core.model.snapshot import Snapshot

Point = tuple[datetime, float | None]


def _sum(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _rates(snapshot: Snapshot, field: str) -> float | None:
    return _sum(getattr(r, field) for r in snapshot.database_rates)


def cache_hit_ratio(snapshot: Snapshot) -> float | None:
    """Server-wide share of block reads served from shared buffers over the interval."""
    hits, reads = _rates(snapshot, "blks_hit_per_s"), _rates(snapshot, "blks_read_per_s")
    if hits is None or reads is None or hits + reads == 0:
        return None
    return hits / (hits + reads)


def oldest_transaction_s(snapshot: Snapshot) -> float | None:
    return snapshot.clients.oldest_xact_s


def wraparound_age(snapshot: Snapshot) -> float | None:
    return float(max(d.frozen_xid_age for d in snapshot.databases)) if snapshot.databases else None


def _tuples_in(snapshot: Snapshot) -> float | None:
    return _sum(
        _rates(snapshot, f)
        for f in ("tup_inserted_per_s", "tup_updated_per_s", "tup_deleted_per_s")
    )


def _tuples_out(snapshot: Snapshot) -> float | None:
    return _sum(_rates(snapshot, f) for f in ("tup_returned_per_s", "tup_fetched_per_s"))


def _deadlocks(snapshot: Snapshot) -> float | None:
    counts = [r.deadlocks for r in snapshot.database_rates if r.deadlocks is not None]
    return float(sum(counts)) if counts else None


@dataclass(frozen=True)
class Metric:
    """A charted figure and how to read it off a snapshot."""

    name: str
    label: str
    read: Callable[[Snapshot], float | None]


METRICS: tuple[Metric, ...] = (
    Metric("commits", "commits/s", lambda s: _rates(s, "commits_per_s")),
    Metric("rollbacks", "rollbacks/s", lambda s: _rates(s, "rollbacks_per_s")),
    Metric("active", "active", lambda s: float(s.clients.active)),
    Metric("idle", "idle", lambda s: float(s.idle_client_count)),
    Metric("idle_in_transaction", "idle in transaction", lambda s: s.clients.idle_in_transaction),
    Metric("waiting", "waiting on locks", lambda s: float(s.clients.waiting_on_locks)),
    Metric("cache_hit", "cache hit %", lambda s: _percent(cache_hit_ratio(s))),
    Metric("tuples_in", "tuples written/s", _tuples_in),
    Metric("tuples_out", "tuples read/s", _tuples_out),
    Metric("temp_bytes", "temp bytes/s", lambda s: _rates(s, "temp_bytes_per_s")),
    Metric("deadlocks", "deadlocks", _deadlocks),
    Metric("oldest_xact", "oldest transaction s", oldest_transaction_s),
    Metric("wraparound", "xid age", wraparound_age),
)


def _percent(ratio: float | None) -> float | None:
    return None if ratio is None else ratio * 100


class History:
    """Ring buffers of every metric; `add` one snapshot per tick."""

    def __init__(self, minutes: int, max_points: int = 1800) -> None:
        self.window_s = minutes * 60
        self._capacity = max_points
        self._taken = array("d", [math.nan]) * max_points  # epoch seconds
        self._values = {m.name: array("d", [math.nan]) * max_points for m in METRICS}
        self._next = 0  # where the next point goes
        self._count = 0
        self._zone: tzinfo | None = None
        self._added = 0  # points ever added: what the window below was worked out for
        self._window_for = -1
        self._window: tuple[list[int], list[datetime]] = ([], [])

    def add(self, snapshot: Snapshot) -> None:
        taken = snapshot.taken_at.timestamp()
        if self._count and taken <= self._taken[self._next - 1]:
            return  # the same tick seen twice (or a clock step back): keep the series monotonic
        self._zone = snapshot.taken_at.tzinfo
        at = self._next
        self._taken[at] = taken
        for metric in METRICS:
            value = metric.read(snapshot)
            self._values[metric.name][at] = math.nan if value is None else value
        self._next = (at + 1) % self._capacity
        self._count = min(self._count + 1, self._capacity)
        self._added += 1

    def _in_window(self) -> tuple[list[int], list[datetime]]:
        """Slots of the points within the window, oldest first, and when each was taken.
        Worked out once per point added: the Overview asks for every metric in turn."""
        if self._window_for == self._added:
            return self._window
        slots: list[int] = []
        if self._count:
            newest = self._taken[self._next - 1]
            oldest_slot = (self._next - self._count) % self._capacity
            every = [(oldest_slot + n) % self._capacity for n in range(self._count)]
            slots = [i for i in every if newest - self._taken[i] <= self.window_s]
        zone = self._zone
        self._window = (slots, [datetime.fromtimestamp(self._taken[i], zone) for i in slots])
        self._window_for = self._added
        return self._window

    def points(self, name: str) -> list[Point]:
        values = self._values[name]
        slots, taken = self._in_window()
        return [
            (when, None if math.isnan(value := values[i]) else value)
            for when, i in zip(taken, slots, strict=True)
        ]

    def __len__(self) -> int:
        return len(self._in_window()[0])
