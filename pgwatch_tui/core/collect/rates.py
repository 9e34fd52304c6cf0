"""Pure rate maths between two snapshots, on the server's clock.

Rules: a counter that went backwards, a changed `stats_reset`, or an interval that is not
positive gives None ("no honest value"), never a negative rate or a division error.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pgwatch_tui.core.model.rows import DatabaseStats, StatementKey, StatementStats
from pgwatch_tui.core.model.snapshot import DatabaseRates, Snapshot, StatementDelta


def seconds_between(earlier: datetime | None, later: datetime | None) -> float | None:
    """Positive seconds from earlier to later, else None."""
    if earlier is None or later is None:
        return None
    seconds = (later - earlier).total_seconds()
    return seconds if seconds > 0 else None


def counter_delta(previous: float, current: float) -> float | None:
    """current - previous, or None when the counter went backwards (a reset)."""
    delta = current - previous
    return delta if delta >= 0 else None


def per_second(previous: float, current: float, seconds: float | None) -> float | None:
    delta = counter_delta(previous, current)
    if delta is None or seconds is None:
        return None
    return delta / seconds


def hit_ratio(hits: float | None, reads: float | None) -> float | None:
    """hits / (hits + reads); None when there was no block access at all."""
    if hits is None or reads is None:
        return None
    total = hits + reads
    return hits / total if total > 0 else None


def _int_delta(previous: int, current: int) -> int | None:
    delta = current - previous
    return delta if delta >= 0 else None


def database_rates(
    previous: DatabaseStats | None, current: DatabaseStats, seconds: float | None
) -> DatabaseRates:
    """Rates of one database over an interval of `seconds`."""
    cumulative = hit_ratio(current.blks_hit, current.blks_read)
    if previous is None or seconds is None or previous.stats_reset != current.stats_reset:
        return DatabaseRates(datid=current.datid, cumulative_cache_hit_ratio=cumulative)

    def rate(field: str) -> float | None:
        return per_second(getattr(previous, field), getattr(current, field), seconds)

    commits, rollbacks = rate("xact_commit"), rate("xact_rollback")
    return DatabaseRates(
        datid=current.datid,
        commits_per_s=commits,
        rollbacks_per_s=rollbacks,
        tps=None if commits is None or rollbacks is None else commits + rollbacks,
        cache_hit_ratio=hit_ratio(
            counter_delta(previous.blks_hit, current.blks_hit),
            counter_delta(previous.blks_read, current.blks_read),
        ),
        blks_read_per_s=rate("blks_read"),
        blks_hit_per_s=rate("blks_hit"),
        tup_returned_per_s=rate("tup_returned"),
        tup_fetched_per_s=rate("tup_fetched"),
        tup_inserted_per_s=rate("tup_inserted"),
        tup_updated_per_s=rate("tup_updated"),
        tup_deleted_per_s=rate("tup_deleted"),
        temp_bytes_per_s=rate("temp_bytes"),
        temp_files=_int_delta(previous.temp_files, current.temp_files),
        deadlocks=_int_delta(previous.deadlocks, current.deadlocks),
        conflicts=_int_delta(previous.conflicts, current.conflicts),
        cumulative_cache_hit_ratio=cumulative,
    )


_DELTA_FIELDS = (
    "calls",
    "total_exec_ms",
    "rows",
    "shared_blks_hit",
    "shared_blks_read",
    "temp_blks_read",
    "temp_blks_written",
    "blk_read_ms",
    "blk_write_ms",
)


def _interval_start(
    previous: StatementStats | None, current: StatementStats, previous_taken_at: datetime
) -> tuple[bool, StatementStats | None]:
    """(whether the interval can be known, the entry to subtract: None for "from zero")."""
    recreated = (
        previous is not None
        and current.stats_since is not None
        and previous.stats_since is not None
        and current.stats_since != previous.stats_since
    )
    if previous is not None and not recreated:
        return True, previous
    # Created (or recreated) in the interval: its totals are the delta; before it, unknown.
    return current.stats_since is None or current.stats_since >= previous_taken_at, None


def _counter_deltas(
    base: StatementStats | None, current: StatementStats
) -> dict[str, float] | None:
    """Each counter's growth since `base` (from zero without one); None if any is unknown."""
    values: dict[str, float] = {}
    for field in _DELTA_FIELDS:
        now_value = getattr(current, field)
        if now_value is None:
            return None
        if base is None:
            values[field] = float(now_value)
            continue
        before = getattr(base, field)
        if before is None:
            return None
        growth = counter_delta(before, now_value)
        if growth is None:
            return None
        values[field] = growth
    return values


def statement_delta(
    previous: StatementStats | None,
    current: StatementStats,
    seconds: float,
    previous_taken_at: datetime,
) -> StatementDelta | None:
    """What a statement did in the interval, or None when that cannot be known.

    An entry absent last time was created during the interval, so its totals are the delta.
    An entry recreated since (stats_since moved, 1.11+) likewise, if that happened within the
    interval. Any counter going backwards means it was evicted and re-added: no value.
    """
    known, base = _interval_start(previous, current, previous_taken_at)
    if not known:
        return None
    v = _counter_deltas(base, current)
    if v is None:
        return None
    calls, exec_ms = v["calls"], v["total_exec_ms"]
    if base is not None and calls == 0 and exec_ms > 0:
        return None  # time without calls: the entry was reset under us
    plan_ms = current.total_plan_ms
    if plan_ms is not None and base is not None:
        before = base.total_plan_ms
        plan_ms = None if before is None else counter_delta(before, plan_ms)
    return StatementDelta(
        userid=current.userid,
        dbid=current.dbid,
        queryid=current.queryid,
        toplevel=current.toplevel,
        calls=int(calls),
        total_exec_ms=exec_ms,
        total_plan_ms=None if plan_ms is None else float(plan_ms),
        mean_exec_ms=exec_ms / calls if calls > 0 else None,
        rows=int(v["rows"]),
        shared_blks_hit=int(v["shared_blks_hit"]),
        shared_blks_read=int(v["shared_blks_read"]),
        temp_blks_read=int(v["temp_blks_read"]),
        temp_blks_written=int(v["temp_blks_written"]),
        blk_read_ms=v["blk_read_ms"],
        blk_write_ms=v["blk_write_ms"],
        shared_hit_ratio=hit_ratio(v["shared_blks_hit"], v["shared_blks_read"]),
        calls_per_s=calls / seconds,
        exec_ms_per_s=exec_ms / seconds,
        rows_per_s=v["rows"] / seconds,
        blks_read_per_s=v["shared_blks_read"] / seconds,
        temp_blks_per_s=(v["temp_blks_read"] + v["temp_blks_written"]) / seconds,
    )


def _collected(snapshot: Snapshot, probe: str) -> datetime | None:
    status = snapshot.probes.get(probe)
    return status.collected_at if status else None


def derive(previous: Snapshot | None, current: Snapshot) -> Snapshot:
    """Return `current` with database rates and statement deltas against `previous`."""
    if previous is None:
        rates = tuple(database_rates(None, db, None) for db in current.databases)
        return current.model_copy(update={"database_rates": rates})

    update: dict[str, object] = {"interval_s": seconds_between(previous.taken_at, current.taken_at)}

    before, after = _collected(previous, "databases"), _collected(current, "databases")
    if after is not None and before == after:
        update["database_rates"] = previous.database_rates
    else:
        seconds = seconds_between(before, after)
        old = {db.datid: db for db in previous.databases}
        update["database_rates"] = tuple(
            database_rates(old.get(db.datid), db, seconds) for db in current.databases
        )

    before, after = _collected(previous, "statements"), _collected(current, "statements")
    if after is not None and before == after:
        update["statement_deltas"] = previous.statement_deltas
    else:
        update["statement_deltas"] = _statement_deltas(previous, current, before, after)
    update |= _replication_growth(previous, current)
    return current.model_copy(update=update)


def _growth(
    before: dict[Any, int | None], after: dict[Any, int | None], seconds: float | None
) -> dict[Any, float]:
    """Bytes per second each gauge grew by, for keys in both readings. Unlike a counter a
    gauge may shrink (a slot catching up): that is a negative rate, not a reset."""
    if not seconds:
        return {}
    grown = {}
    for key, now in after.items():
        was = before.get(key)
        if now is not None and was is not None:
            grown[key] = (now - was) / seconds
    return grown


def _replication_growth(previous: Snapshot, current: Snapshot) -> dict[str, object]:
    """How fast slots keep more WAL, standbys fall further behind and a standby cancels
    queries, between readings."""
    return {
        "slot_growth": _gauge_growth(
            previous,
            current,
            "replication_slots",
            previous.slot_growth,
            lambda snap: {s.slot_name: s.retained_bytes for s in snap.replication_slots},
        ),
        "standby_lag_growth": _gauge_growth(
            previous,
            current,
            "replication",
            previous.standby_lag_growth,
            lambda snap: {s.pid: s.replay_lag_bytes for s in snap.replication},
        ),
        "conflict_rate": _gauge_growth(
            previous,
            current,
            "recovery_conflicts",
            previous.conflict_rate,
            lambda snap: {c.database: c.total for c in snap.recovery_conflicts},
        ),
    }


def _gauge_growth(
    previous: Snapshot,
    current: Snapshot,
    probe: str,
    last: dict[Any, float],
    gauges: Callable[[Snapshot], dict[Any, int | None]],
) -> dict[Any, float]:
    """A probe's gauges per second since its last reading; kept while it is not read again."""
    before, after = _collected(previous, probe), _collected(current, probe)
    if after is not None and before == after:
        return last
    return _growth(gauges(previous), gauges(current), seconds_between(before, after))


def _statement_deltas(
    previous: Snapshot, current: Snapshot, before: datetime | None, after: datetime | None
) -> tuple[StatementDelta, ...]:
    seconds = seconds_between(before, after)
    if seconds is None or before is None:
        return ()
    old_info, new_info = previous.statements_info, current.statements_info
    if old_info and new_info and old_info.stats_reset != new_info.stats_reset:
        return ()  # pg_stat_statements_reset() ran: every delta of the interval is unknowable
    old: dict[StatementKey, StatementStats] = {s.key: s for s in previous.statements}
    old_deltas = previous.delta_by_key
    deltas = []
    for s in current.statements:
        was = old.get(s.key)
        idle = old_deltas.get(s.key) if was is s else None
        if idle is not None and idle.is_zero:
            # The same row as last time (the poller reuses unchanged rows) and idle then
            # too: its delta is the same all-zero one, whatever the interval's length.
            deltas.append(idle)
            continue
        delta = statement_delta(was, s, seconds, before)
        if delta is not None:
            deltas.append(delta)
    return tuple(deltas)
