"""Overview figures: the server at a glance, each with a tone, and the top wait events."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.collect.history import cache_hit_ratio, oldest_transaction_s, wraparound_age
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line
from pgwatch_tui.views.table import Tone

CACHE_HIT_TARGET = 0.95
XID_WARN = 200_000_000  # autovacuum_freeze_max_age's default: anti-wraparound vacuums begin
XID_ALERT = 1_000_000_000  # half way to the 2^31 limit


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    tone: Tone = Tone.NORMAL


def _sum(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _graded(value: float | None, warn: float, alert: float) -> Tone:
    if value is not None and value >= alert:
        return Tone.ALERT
    if value is not None and value >= warn:
        return Tone.WARN
    return Tone.NORMAL


def _hit_tone(ratio: float | None) -> Tone:
    if ratio is None:
        return Tone.MUTED
    return Tone.NORMAL if ratio >= CACHE_HIT_TARGET else Tone.WARN


def _connection_figures(snapshot: Snapshot) -> list[Figure]:
    clients = snapshot.clients
    in_tx, waiting = clients.idle_in_transaction, clients.waiting_on_locks
    connected, limit = snapshot.client_count, snapshot.server.max_connections
    used = connected / limit if limit else 0
    return [
        Figure(
            "connections",
            f"{connected} of {limit} ({fmt.percent(used, 0)})",
            _graded(used, 0.75, 0.9),
        ),
        Figure("  active", str(clients.active)),
        Figure("  idle", str(snapshot.idle_client_count), Tone.MUTED),
        Figure("  idle in xact", str(in_tx), Tone.WARN if in_tx else Tone.NORMAL),
        Figure("  waiting", str(waiting), Tone.ALERT if waiting else Tone.NORMAL),
    ]


def _cache_figures(snapshot: Snapshot) -> list[Figure]:
    hit = cache_hit_ratio(snapshot)
    hits = sum(d.blks_hit for d in snapshot.databases)
    reads = sum(d.blks_read for d in snapshot.databases)
    overall = hits / (hits + reads) if hits + reads else None
    return [
        Figure("cache hit now", fmt.percent(hit), _hit_tone(hit)),
        Figure("cache hit total", fmt.percent(overall), _hit_tone(overall)),
    ]


def _tuple_figures(snapshot: Snapshot) -> list[Figure]:
    rates = snapshot.database_rates
    written = _sum(
        [_sum([r.tup_inserted_per_s, r.tup_updated_per_s, r.tup_deleted_per_s]) for r in rates]
    )
    read = _sum([_sum([r.tup_returned_per_s, r.tup_fetched_per_s]) for r in rates])
    temp = _sum([r.temp_bytes_per_s for r in rates])
    deadlocks_now = _sum([float(r.deadlocks) if r.deadlocks is not None else None for r in rates])
    deadlocks_total = sum(d.deadlocks for d in snapshot.databases)
    return [
        Figure("tuples written/s", fmt.number(written)),
        Figure("tuples read/s", fmt.number(read)),
        Figure("temp written/s", fmt.size(temp)),
        Figure(
            "deadlocks",
            f"{fmt.number(deadlocks_now)} ({deadlocks_total} total)",
            Tone.ALERT if deadlocks_now else Tone.NORMAL,
        ),
    ]


def overview_figures(
    snapshot: Snapshot, *, long_query_s: float, idle_in_transaction_s: float
) -> list[Figure]:
    rates = snapshot.database_rates
    commits = _sum([r.commits_per_s for r in rates])
    rollbacks = _sum([r.rollbacks_per_s for r in rates])
    oldest = oldest_transaction_s(snapshot)
    xid_age = wraparound_age(snapshot)
    # The oldest transaction warns past the lower of the two thresholds, alerts past both.
    long_s, idle_s = long_query_s, idle_in_transaction_s
    return [
        Figure("commits/s", fmt.number(commits)),
        Figure("rollbacks/s", fmt.number(rollbacks), Tone.WARN if rollbacks else Tone.NORMAL),
        *_connection_figures(snapshot),
        *_cache_figures(snapshot),
        *_tuple_figures(snapshot),
        Figure(
            "oldest xact",
            fmt.duration(oldest),
            _graded(oldest, min(long_s, idle_s), max(long_s, idle_s)),
        ),
        Figure("xid age", fmt.number(xid_age), _graded(xid_age, XID_WARN, XID_ALERT)),
        Figure("vacuums running", str(len(snapshot.vacuum_progress))),
    ]


def top_wait_events(snapshot: Snapshot, limit: int = 5) -> list[tuple[str, int]]:
    """The most common things active sessions wait for right now."""
    counts = Counter(
        one_line(f"{s.wait_event_type}:{s.wait_event}", 40)
        for s in snapshot.sessions
        if s.wait_event_type and s.state == "active"
    )
    return counts.most_common(limit)
